; Inno Setup 6.3+ script: a per-user installer (no admin rights) for the PyInstaller onedir.
;
;   pyinstaller --noconfirm --distpath dist --workpath build\pyinstaller packaging\presence-tray.spec
;   iscc /DAppVersion=0.1.0 packaging\windows\presence-tray.iss
;
; Output: dist\presence-tray-<version>-windows-x64-setup.exe. Installs into
; %LOCALAPPDATA%\Programs\Presence Tray, adds a Start-menu entry, offers "start on login" (the same
; HKCU Run value `presence-tray autostart on` writes, see tray_app/autostart/windows.py), and uninstalls
; cleanly: files, Start-menu entry, the Run value and its Task Manager approval entry.
; Settings and the stored login (Windows Credential Manager) are the user's and stay.
; Silent: setup.exe /VERYSILENT /TASKS=autostart   uninstall: unins000.exe /VERYSILENT

; ArchitecturesAllowed=x64compatible (below) is Inno Setup 6.3's; an older compiler would reject it
; with a less helpful message.
#if VER < EncodeVer(6,3,0)
  #error Inno Setup 6.3 or newer is needed (x64compatible): https://jrsoftware.org/isdl.php
#endif

#define AppName "Presence Tray"
#define AppExe "presence-tray.exe"
; = tray_app.autostart.WINDOWS_VALUE_NAME
#define RunValueName "Presence Tray"
#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=X.Y.Z presence-tray.iss
#endif
#ifndef BundleDir
  #define BundleDir "..\..\dist\presence-tray"
#endif

[Setup]
; Never change AppId: upgrades and the uninstaller find the installation by it.
AppId={{6DC6441B-B78D-459C-A366-58BB256F50F4}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Presence Tray developers
VersionInfoVersion={#AppVersion}
; Per user: no UAC prompt; {autopf} is %LOCALAPPDATA%\Programs, {autoprograms} the user's Start menu.
PrivilegesRequired=lowest
DefaultDirName={autopf}\{#AppName}
DisableProgramGroupPage=yes
DisableDirPage=auto
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir=..\..\dist
OutputBaseFilename=presence-tray-{#AppVersion}-windows-x64-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
; A running applet holds its files: close it (Restart Manager) before replacing or removing them.
CloseApplications=force
RestartApplications=no

[Tasks]
Name: "autostart"; Description: "Start {#AppName} when I sign in"; GroupDescription: "Start on login:"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; An upgrade replaces the bundle completely (no stale libraries from an older version).
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; Comment: "Set your Matrix presence from the system tray"

[Registry]
; The same value the applet's own "Start on login" writes; --autostarted makes it start quietly.
Root: HKCU; Subkey: "Software\Microsoft\Windows\CurrentVersion\Run"; ValueType: string; \
  ValueName: "{#RunValueName}"; ValueData: """{app}\{#AppExe}"" --autostarted"; \
  Flags: uninsdeletevalue; Tasks: autostart

[Run]
Filename: "{app}\{#AppExe}"; Description: "Start {#AppName} now"; Flags: nowait postinstall skipifsilent

[UninstallRun]
; Stop this user's applet (it lives in the tray, with no window to close).
Filename: "{sys}\taskkill.exe"; Parameters: "/F /IM {#AppExe} /FI ""USERNAME eq {username}"""; \
  Flags: runhidden; RunOnceId: "StopApplet"

[UninstallDelete]
Type: filesandordirs; Name: "{app}"
; The single-instance lock (tray_app/ui/single_instance.py) that taskkill above left behind; the
; settings next to it stay.
Type: files; Name: "{localappdata}\presence-tray\presence-tray-*.lock"

[Code]
const
  RunKey = 'Software\Microsoft\Windows\CurrentVersion\Run';
  ApprovedKey = 'Software\Microsoft\Windows\CurrentVersion\Explorer\StartupApproved\Run';

procedure CurStepChanged(CurStep: TSetupStep);
begin
  { Ticking the task on an upgrade also lifts an earlier "Disable" from Task Manager. }
  if (CurStep = ssPostInstall) and WizardIsTaskSelected('autostart') then
    RegDeleteValue(HKEY_CURRENT_USER, ApprovedKey, '{#RunValueName}');
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  { The applet may have written the Run value itself (`autostart on`, the tray menu), and Task
    Manager its approval entry: remove both, whoever wrote them. }
  if CurUninstallStep = usUninstall then
  begin
    RegDeleteValue(HKEY_CURRENT_USER, RunKey, '{#RunValueName}');
    RegDeleteValue(HKEY_CURRENT_USER, ApprovedKey, '{#RunValueName}');
  end;
end;
