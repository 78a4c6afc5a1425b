<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>AccessKey</name>
    <message>
        <location filename="../tray_app/ui/access_keys.py" line="+31"/>
        <source>o</source>
        <comment>Online</comment>
        <translation>o</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a</source>
        <comment>Away</comment>
        <translation>a</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>b</source>
        <comment>Busy</comment>
        <translation>b</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>f</source>
        <comment>Offline</comment>
        <translation>f</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>d</source>
        <comment>Disabled</comment>
        <translation>d</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>n</source>
        <comment>No override (automatic)</comment>
        <translation>k</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>e</source>
        <comment>End now</comment>
        <translation>j</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>x</source>
        <comment>Extend</comment>
        <translation>v</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>s</source>
        <comment>Status message…</comment>
        <translation>s</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>r</source>
        <comment>Refresh</comment>
        <translation>t</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>u</source>
        <comment>Sign out</comment>
        <translation>m</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>i</source>
        <comment>Sign in… / Sign in again…</comment>
        <translation>n</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>h</source>
        <comment>Remove from this computer… / Remove this account</comment>
        <translation>i</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>t</source>
        <comment>Automatic presence</comment>
        <translation>u</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>l</source>
        <comment>Set all accounts</comment>
        <translation>z</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>c</source>
        <comment>Add account…</comment>
        <translation>h</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>g</source>
        <comment>Start on login</comment>
        <translation>g</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>p</source>
        <comment>Pause notifications while Busy</comment>
        <translation>r</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>q</source>
        <comment>Quit</comment>
        <translation>e</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>v</source>
        <comment>Server details…</comment>
        <translation>l</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>m</source>
        <comment>Clear message</comment>
        <translation>c</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>u</source>
        <comment>Until I change it</comment>
        <translation>i</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>3</source>
        <comment>30 minutes / 30 more minutes</comment>
        <translation>3</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>1</source>
        <comment>1 hour / 1 more hour</comment>
        <translation>1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>4</source>
        <comment>4 hours / 4 more hours</comment>
        <translation>4</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>t</source>
        <comment>Until tomorrow morning</comment>
        <translation>m</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>w</source>
        <comment>When I&apos;m idle or locked</comment>
        <translation>w</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>d</source>
        <comment>When do not disturb is on: Busy</comment>
        <translation>b</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>1</source>
        <comment>Set me away after 1 min idle</comment>
        <translation>1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>2</source>
        <comment>Set me away after 2 min idle</comment>
        <translation>2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>5</source>
        <comment>Set me away after 5 min idle</comment>
        <translation>5</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>0</source>
        <comment>Set me away after 10 min idle</comment>
        <translation>0</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>i</source>
        <comment>Set me away after 15 min idle</comment>
        <translation>i</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>3</source>
        <comment>Set me away after 30 min idle</comment>
        <translation>3</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>o</source>
        <comment>While the screen is locked: Offline</comment>
        <translation>o</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a</source>
        <comment>While the screen is locked: Away</comment>
        <translation>a</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>n</source>
        <comment>While the screen is locked: No change</comment>
        <translation>k</translation>
    </message>
</context>
<context>
    <name>Applet</name>
    <message>
        <location filename="../tray_app/ui/dialogs.py" line="+149"/>
        <source>Remove {user} from Presence Tray?</source>
        <translation>{user} aus Presence Tray entfernen?</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sign out {user}?</source>
        <translation>{user} abmelden?</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Sign out — Presence Tray</source>
        <translation>Abmelden – Presence Tray</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Your presence override stays as it is on the server. Signing in again needs your password.</source>
        <translation>Deine Anwesenheitsvorgabe bleibt auf dem Server, wie sie ist. Für eine erneute Anmeldung brauchst du dein Passwort.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Remove</source>
        <translation>&amp;Entfernen</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Sign out</source>
        <translation>&amp;Abmelden</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Couldn&apos;t sign out {user}: {reason}</source>
        <translation>{user} konnte nicht abgemeldet werden: {reason}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Remove from this computer — Presence Tray</source>
        <translation>Von diesem Computer entfernen – Presence Tray</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Remove {user} from this computer only?</source>
        <translation>{user} nur von diesem Computer entfernen?</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Presence Tray forgets the login here (its keyring item and the account entry). The server can&apos;t be told, so this login stays valid there until you remove the device “Presence Tray” from another Matrix client.</source>
        <translation>Presence Tray vergisst die Anmeldung hier (ihren Schlüsselbund-Eintrag und den Konto-Eintrag). Der Server kann nicht benachrichtigt werden, daher bleibt diese Anmeldung dort gültig, bis du das Gerät „Presence Tray“ in einem anderen Matrix-Client entfernst.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;Remove from this computer</source>
        <translation>Von diesem Computer &amp;entfernen</translation>
    </message>
</context>
<context>
    <name>AutoPresence</name>
    <message>
        <location filename="../tray_app/idle/policy.py" line="+51"/>
        <source>Idle detection isn&apos;t available on this desktop</source>
        <translation>Inaktivitätserkennung ist auf diesem Desktop nicht verfügbar</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Automatic: off</source>
        <translation>Automatisch: aus</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no change</source>
        <translation>keine Änderung</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Automatic: {state} (screen locked)</source>
        <translation>Automatisch: {state} (Bildschirm gesperrt)</translation>
    </message>
    <message numerus="yes">
        <location line="+7"/>
        <location line="+1"/>
        <source>Automatic: {state} (idle %n min)</source>
        <translation>
            <numerusform>Automatisch: {state} (seit %n Minute inaktiv)</numerusform>
            <numerusform>Automatisch: {state} (seit %n Minuten inaktiv)</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Automatic: {state}</source>
        <translation>Automatisch: {state}</translation>
    </message>
    <message>
        <location filename="../tray_app/ui/idle_menu.py" line="+111"/>
        <source>While the screen is locked: Offline</source>
        <translation>Bei gesperrtem Bildschirm: Offline</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>While the screen is locked: Away</source>
        <translation>Bei gesperrtem Bildschirm: Abwesend</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>While the screen is locked: No change</source>
        <translation>Bei gesperrtem Bildschirm: Keine Änderung</translation>
    </message>
    <message>
        <location line="-31"/>
        <source>{automatic} — the override wins</source>
        <translation>{automatic} – die Vorgabe hat Vorrang</translation>
    </message>
    <message>
        <location line="-7"/>
        <source>Automatic: off for this account</source>
        <translation>Automatisch: für dieses Konto aus</translation>
    </message>
    <message numerus="yes">
        <location line="+46"/>
        <location line="+1"/>
        <source>Set me away after %n min idle</source>
        <translation>
            <numerusform>Nach %n Minute Inaktivität abwesend</numerusform>
            <numerusform>Nach %n Minuten Inaktivität abwesend</numerusform>
        </translation>
    </message>
    <message>
        <location line="+101"/>
        <source>Apply to {user}</source>
        <translation>Für {user} verwenden</translation>
    </message>
    <message>
        <location line="-82"/>
        <source>Automatic presence</source>
        <translation>Automatische Anwesenheit</translation>
    </message>
    <message>
        <location filename="../tray_app/ui/automatic_words.py" line="+19"/>
        <source>Automatic: {state} (do not disturb)</source>
        <translation>Automatisch: {state} (Nicht stören)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>in a meeting</source>
        <translation>in einer Besprechung</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Automatic: {state} — {what} until {end}</source>
        <translation>Automatisch: {state} – {what} bis {end}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Automatic: {state} — {what}</source>
        <translation>Automatisch: {state} – {what}</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>{automatic} — in a meeting: no Busy here</source>
        <translation>{automatic} – in einer Besprechung: hier kein „Beschäftigt“</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{automatic} — do not disturb: no Busy here</source>
        <translation>{automatic} – „Nicht stören“: hier kein „Beschäftigt“</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{automatic}, goes out within 30 s</source>
        <translation>{automatic}, geht innerhalb von 30 s raus</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>When do not disturb is on: Busy</source>
        <translation>Bei „Nicht stören“: Beschäftigt</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>When I&apos;m idle or locked</source>
        <translation>Wenn ich inaktiv bin oder der Bildschirm gesperrt ist</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>When do not disturb is on: Busy (none of these servers has Busy)</source>
        <translation>Bei „Nicht stören“: Beschäftigt (keiner dieser Server kennt „Beschäftigt“)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>When do not disturb is on: Busy (this server has no Busy)</source>
        <translation>Bei „Nicht stören“: Beschäftigt (dieser Server kennt kein „Beschäftigt“)</translation>
    </message>
</context>
<context>
    <name>Calendar</name>
    <message>
        <location filename="../tray_app/calendar/words.py" line="+20"/>
        <source>its address no longer works (HTTP {status})</source>
        <translation>seine Adresse gilt nicht mehr (HTTP {status})</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>its server fails (HTTP {status})</source>
        <translation>sein Server hat einen Fehler (HTTP {status})</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the answer is not a calendar</source>
        <translation>die Antwort ist kein Kalender</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>can&apos;t be reached</source>
        <translation>nicht erreichbar</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Calendar: {problem}</source>
        <translation>Kalender: {problem}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Calendar: {problem} — using the copy from {time}</source>
        <translation>Kalender: {problem} – die Kopie von {time} gilt</translation>
    </message>
    <message>
        <location filename="../tray_app/ui/calendar_menu.py" line="+49"/>
        <source>Calendar: its address cannot be read from the keyring</source>
        <translation>Kalender: seine Adresse ist im Schlüsselbund nicht lesbar</translation>
    </message>
</context>
<context>
    <name>CalendarDialog</name>
    <message>
        <location filename="../tray_app/ui/calendar_dialog.py" line="+40"/>
        <source>Use my calendar — Presence Tray</source>
        <translation>Meinen Kalender verwenden – Presence Tray</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>While a meeting in your calendar runs, Presence Tray shows you as Busy until it ends (never over a state you chose yourself). Paste your calendar&apos;s private iCalendar &amp;address (Nextcloud, Google and Outlook give one) or choose an .ics file:</source>
        <translation>Während eines Termins in deinem Kalender zeigt Presence Tray dich bis zu seinem Ende als „Beschäftigt“ (nie über einem Status, den du selbst gewählt hast). Füge die private iCalendar-&amp;Adresse deines Kalenders ein (Nextcloud, Google und Outlook bieten eine an) oder wähle eine .ics-Datei:</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>In use now: {where} (leave the field empty to keep it)</source>
        <translation>Jetzt verwendet: {where} (lass das Feld leer, um ihn zu behalten)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Calendar address or file</source>
        <translation>Kalenderadresse oder Datei</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>https://… or a file</source>
        <translation>https://… oder eine Datei</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>C&amp;hoose file…</source>
        <translation>Datei &amp;wählen …</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Show the meeting&apos;s &amp;title with Busy</source>
        <translation>&amp;Titel des Termins bei „Beschäftigt“ zeigen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The address is kept in your system keyring, like your logins.</source>
        <translation>Die Adresse wird wie deine Anmeldungen im Schlüsselbund des Systems aufbewahrt.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Use calendar</source>
        <translation>Kalender &amp;verwenden</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Stop using calendar</source>
        <translation>Kalender &amp;nicht mehr verwenden</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Choose a calendar file</source>
        <translation>Kalenderdatei wählen</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>iCalendar files (*.ics);;All files (*)</source>
        <translation>iCalendar-Dateien (*.ics);;Alle Dateien (*)</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Paste the calendar&apos;s address, or choose a file.</source>
        <translation>Füge die Adresse des Kalenders ein oder wähle eine Datei.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Plain http:// would send the calendar&apos;s private address unencrypted. Use https://.</source>
        <translation>Einfaches http:// würde die private Adresse des Kalenders unverschlüsselt senden. Verwende https://.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This is not an address a calendar can be read from: use https://, webcal:// or a file.</source>
        <translation>Von dieser Adresse kann kein Kalender gelesen werden: verwende https://, webcal:// oder eine Datei.</translation>
    </message>
</context>
<context>
    <name>ClearAfter</name>
    <message>
        <location filename="../tray_app/messages.py" line="+58"/>
        <source>Don&apos;t clear</source>
        <translation>Nicht löschen</translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n minute(s)</source>
        <translation>
            <numerusform>%n Minute</numerusform>
            <numerusform>%n Minuten</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n hour(s)</source>
        <translation>
            <numerusform>%n Stunde</numerusform>
            <numerusform>%n Stunden</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Today</source>
        <translation>Heute</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This week</source>
        <translation>Diese Woche</translation>
    </message>
</context>
<context>
    <name>Details</name>
    <message>
        <location filename="../tray_app/ui/server_details.py" line="+22"/>
        <source>Presence override, {msc} (stable endpoint {path})</source>
        <translation>Anwesenheitsvorgabe, {msc} (stabiler Endpunkt {path})</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Presence override, {msc} (unstable prefix {prefix})</source>
        <translation>Anwesenheitsvorgabe, {msc} (instabiles Präfix {prefix})</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Presence override in account data, {msc}</source>
        <translation>Anwesenheitsvorgabe in den Kontodaten, {msc}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>None: the server has no presence override ({msc}). Presence Tray holds this device&apos;s presence while it runs; other devices can outvote it.</source>
        <translation>Keine: Der Server hat keine Anwesenheitsvorgabe ({msc}). Presence Tray hält die Anwesenheit dieses Geräts, solange es läuft; andere Geräte können sie überstimmen.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Not known yet (still checking)</source>
        <translation>Noch nicht bekannt (wird geprüft)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Pushed by the server ({msc}, account data event {event})</source>
        <translation>Vom Server gemeldet ({msc}, Kontodaten-Ereignis {event})</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Seen in what the server reports for your presence</source>
        <translation>Erkannt an der Anwesenheit, die der Server meldet</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Read again when the menu opens, and regularly</source>
        <translation>Beim Öffnen des Menüs und regelmäßig neu gelesen</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{label}: {value}</source>
        <translation>{label}: {value}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>offered</source>
        <translation>angeboten</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>not offered by this server</source>
        <translation>von diesem Server nicht angeboten</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Account</source>
        <translation>Konto</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Homeserver</source>
        <translation>Homeserver</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Device</source>
        <translation>Gerät</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>In plain words</source>
        <translation>Kurz gesagt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Interface</source>
        <translation>Schnittstelle</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Changes made elsewhere</source>
        <translation>Änderungen von anderswo</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Busy</source>
        <translation>Beschäftigt</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Status message with the override</source>
        <translation>Statusnachricht mit der Vorgabe</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Server details — {user}</source>
        <translation>Serverdetails – {user}</translation>
    </message>
</context>
<context>
    <name>Duration</name>
    <message>
        <location filename="../tray_app/durations.py" line="+35"/>
        <source>Until I change it</source>
        <translation>Bis ich es ändere</translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n minute(s)</source>
        <translation>
            <numerusform>%n Minute</numerusform>
            <numerusform>%n Minuten</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <location line="+1"/>
        <source>%n hour(s)</source>
        <translation>
            <numerusform>%n Stunde</numerusform>
            <numerusform>%n Stunden</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Until tomorrow morning</source>
        <translation>Bis morgen früh</translation>
    </message>
    <message>
        <location line="+67"/>
        <source>less than a minute</source>
        <translation>weniger als einer Minute</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{minutes} min</source>
        <translation>{minutes} Min.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{hours} h</source>
        <translation>{hours} Std.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{hours} h {minutes} min</source>
        <translation>{hours} Std. {minutes} Min.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>tomorrow {time}</source>
        <translation>morgen {time}</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>ends in {left} ({end})</source>
        <translation>endet in {left} ({end})</translation>
    </message>
</context>
<context>
    <name>Error</name>
    <message>
        <location filename="../tray_app/ui/error_words.py" line="+27"/>
        <source>can&apos;t reach the server. Check your network connection and try again.</source>
        <translation>der Server ist nicht erreichbar. Prüfe deine Netzwerkverbindung und versuche es erneut.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the server no longer accepts this login. Sign in again.</source>
        <translation>der Server akzeptiert diese Anmeldung nicht mehr. Melde dich erneut an.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>the server says there were too many changes in a short time. Wait {seconds} s and try again.</source>
        <translation>laut Server gab es zu viele Änderungen in kurzer Zeit. Warte {seconds} s und versuche es erneut.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the server says there were too many changes in a short time. Wait a moment and try again.</source>
        <translation>laut Server gab es zu viele Änderungen in kurzer Zeit. Warte einen Moment und versuche es erneut.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>the server refused ({code}): {error}</source>
        <translation>der Server hat abgelehnt ({code}): {error}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the server refused ({code}).</source>
        <translation>der Server hat abgelehnt ({code}).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the server gave an answer Presence Tray doesn&apos;t understand. {detail}</source>
        <translation>der Server gab eine Antwort, die Presence Tray nicht versteht. {detail}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>something went wrong ({error}).</source>
        <translation>etwas ist schiefgegangen ({error}).</translation>
    </message>
    <message>
        <location line="+109"/>
        <source>To remove the account from this computer only, choose “Remove from this computer…” in the menu.</source>
        <translation>Um das Konto nur von diesem Computer zu entfernen, wähle „Von diesem Computer entfernen …“ im Menü.</translation>
    </message>
</context>
<context>
    <name>Extend</name>
    <message numerus="yes">
        <location filename="../tray_app/ui/menu_durations.py" line="+64"/>
        <source>%n more minute(s)</source>
        <translation>
            <numerusform>%n Minute länger</numerusform>
            <numerusform>%n Minuten länger</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <location line="+2"/>
        <source>%n more hour(s)</source>
        <translation>
            <numerusform>%n Stunde länger</numerusform>
            <numerusform>%n Stunden länger</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Menu</name>
    <message>
        <location filename="../tray_app/ui/labels.py" line="+12"/>
        <source>No override (automatic)</source>
        <translation>Keine Vorgabe (automatisch)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Disabled (acts as Offline here)</source>
        <translation>Deaktiviert (wirkt hier wie Offline)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Disabled — share no presence at all</source>
        <translation>Deaktiviert – gar keine Anwesenheit teilen</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Disabled — this server doesn&apos;t offer it</source>
        <translation>Deaktiviert – bietet dieser Server nicht an</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>This computer holds your choice; other devices can outvote it</source>
        <translation>Dieser PC hält deine Wahl; andere Geräte können sie überstimmen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Your server holds your choice for all your devices</source>
        <translation>Dein Server hält deine Wahl für alle deine Geräte</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Server details…</source>
        <translation>Serverdetails …</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>{state} — until {end}</source>
        <translation>{state} – bis {end}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Then: no override</source>
        <translation>Danach: keine Vorgabe</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Then: back to {state}</source>
        <translation>Danach: wieder {state}</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>not known yet</source>
        <translation>noch unbekannt</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Others see no presence</source>
        <translation>Andere sehen keine Präsenz</translation>
    </message>
    <message>
        <location filename="../tray_app/ui/accounts_summary.py" line="+46"/>
        <location filename="../tray_app/ui/labels.py" line="+8"/>
        <source>unknown state “{state}”</source>
        <translation>unbekannter Status „{state}“</translation>
    </message>
    <message>
        <location filename="../tray_app/ui/labels.py" line="+7"/>
        <source>last known, checking…</source>
        <translation>zuletzt bekannt, wird geprüft …</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>last known, not confirmed</source>
        <translation>zuletzt bekannt, nicht bestätigt</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Signed out — {reason}</source>
        <translation>Abgemeldet – {reason}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>sign in again</source>
        <translation>bitte erneut anmelden</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Can&apos;t reach the server — retrying</source>
        <translation>Server nicht erreichbar – neuer Versuch läuft</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Connecting…</source>
        <translation>Verbinde …</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Signing out {user}…</source>
        <translation>{user} wird abgemeldet …</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Removing {user}…</source>
        <translation>{user} wird entfernt …</translation>
    </message>
    <message>
        <location filename="../tray_app/ui/menu_account.py" line="+113"/>
        <source>Sign in again…</source>
        <translation>Erneut anmelden …</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Remove this account</source>
        <translation>Dieses Konto entfernen</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Another device keeps winning — not fighting it</source>
        <translation>Ein anderes Gerät setzt sich durch – kein Gegenhalten</translation>
    </message>
    <message>
        <location filename="../tray_app/ui/labels.py" line="-43"/>
        <source>Others see you as: {presence}</source>
        <translation>Andere sehen dich als: {presence}</translation>
    </message>
    <message>
        <location filename="../tray_app/ui/message_words.py" line="+18"/>
        <source>Status message: “{message}”</source>
        <translation>Statusnachricht: „{message}“</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{message} — clears at {end}</source>
        <translation>{message} – wird um {end} gelöscht</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Status message… (this server keeps one only with a state)</source>
        <translation>Statusnachricht … (dieser Server speichert sie nur mit einem Status)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Clear message</source>
        <translation>Nachricht löschen</translation>
    </message>
    <message>
        <location filename="../tray_app/ui/menu_account.py" line="+8"/>
        <source>Last change failed: {error}</source>
        <translation>Letzte Änderung fehlgeschlagen: {error}</translation>
    </message>
    <message>
        <location filename="../tray_app/ui/labels.py" line="-35"/>
        <source> — setting…</source>
        <translation> – wird gesetzt …</translation>
    </message>
    <message>
        <location filename="../tray_app/ui/menu_account.py" line="+53"/>
        <source>Server reports an unknown state: “{state}”</source>
        <translation>Der Server meldet einen unbekannten Status: „{state}“</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>End now</source>
        <translation>Jetzt beenden</translation>
    </message>
    <message>
        <location filename="../tray_app/ui/message_words.py" line="-7"/>
        <source>Status message… (this server doesn&apos;t keep one)</source>
        <translation>Statusnachricht … (dieser Server speichert keine)</translation>
    </message>
    <message>
        <location line="-4"/>
        <location line="+2"/>
        <location line="+5"/>
        <source>Status message…</source>
        <translation>Statusnachricht …</translation>
    </message>
    <message>
        <location filename="../tray_app/ui/menu_account.py" line="+35"/>
        <location filename="../tray_app/ui/menu_content.py" line="+158"/>
        <source>Refresh</source>
        <translation>Aktualisieren</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Sign out</source>
        <translation>Abmelden</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Remove from this computer…</source>
        <translation>Von diesem Computer entfernen …</translation>
    </message>
    <message>
        <location filename="../tray_app/ui/menu_content.py" line="-23"/>
        <source>Not signed in</source>
        <translation>Nicht angemeldet</translation>
    </message>
    <message>
        <location line="-18"/>
        <source>Set all accounts</source>
        <translation>Alle Konten setzen</translation>
    </message>
    <message>
        <location filename="../tray_app/ui/menu_durations.py" line="-19"/>
        <source>Extend</source>
        <translation>Verlängern</translation>
    </message>
    <message>
        <location filename="../tray_app/ui/menu_content.py" line="+41"/>
        <source>Refresh all</source>
        <translation>Alle aktualisieren</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Sign in…</source>
        <translation>Anmelden …</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Add account…</source>
        <translation>Konto hinzufügen …</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Start on login</source>
        <translation>Bei der Anmeldung starten</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Pause notifications while Busy</source>
        <translation>Benachrichtigungen bei „Beschäftigt“ anhalten</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Quit</source>
        <translation>Beenden</translation>
    </message>
    <message>
        <location filename="../tray_app/ui/calendar_menu.py" line="-15"/>
        <source>Use my calendar…</source>
        <translation>Meinen Kalender verwenden …</translation>
    </message>
</context>
<context>
    <name>Message</name>
    <message>
        <location filename="../tray_app/messages.py" line="-40"/>
        <source>In a meeting</source>
        <translation>In einer Besprechung</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Commuting</source>
        <translation>Unterwegs</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Out sick</source>
        <translation>Krank</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>On holiday</source>
        <translation>Im Urlaub</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Focusing</source>
        <translation>Konzentriert</translation>
    </message>
</context>
<context>
    <name>Mode</name>
    <message>
        <location filename="../tray_app/session_state.py" line="+36"/>
        <source>Server override (MSC4043)</source>
        <translation>Vorgabe auf dem Server (MSC4043)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Server override (MSC4532, account data)</source>
        <translation>Vorgabe auf dem Server (MSC4532, Kontodaten)</translation>
    </message>
    <message>
        <location line="+68"/>
        <source>{mode}, changes pushed via MSC4532</source>
        <translation>{mode}, Änderungen kommen per MSC4532</translation>
    </message>
    <message>
        <location line="-69"/>
        <source>Server override (unstable MSC4043)</source>
        <translation>Vorgabe auf dem Server (instabiles MSC4043)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Emulated — this server has no override API</source>
        <translation>Nachgebildet – dieser Server hat keine Vorgabe-Schnittstelle</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Checking what the server offers…</source>
        <translation>Prüfe, was der Server anbietet …</translation>
    </message>
</context>
<context>
    <name>Notification</name>
    <message>
        <location filename="../tray_app/ui/notifications.py" line="+42"/>
        <source>Back online</source>
        <translation>Wieder erreichbar</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{user}: the server can be reached again.</source>
        <translation>{user}: der Server ist wieder erreichbar.</translation>
    </message>
    <message>
        <location line="+16"/>
        <location line="+51"/>
        <source>{user}: {detail}</source>
        <translation>{user}: {detail}</translation>
    </message>
    <message>
        <location line="-44"/>
        <source>changed</source>
        <translation>geändert</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Presence changed elsewhere</source>
        <translation>Anwesenheit anderswo geändert</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{user}: now {state}.</source>
        <translation>{user}: jetzt {state}.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Timed override ended</source>
        <translation>Zeitlich begrenzte Vorgabe beendet</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>your timed override ended.</source>
        <translation>deine zeitlich begrenzte Vorgabe ist beendet.</translation>
    </message>
    <message>
        <location line="-4"/>
        <source>{user}: the time is up; now {state}.</source>
        <translation>{user}: Die Zeit ist um; jetzt {state}.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Sign in again</source>
        <translation>Erneut anmelden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the server signed you out.</source>
        <translation>der Server hat dich abgemeldet.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Use “Sign in again…” in the menu.</source>
        <translation>Wähle „Erneut anmelden …“ im Menü.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Server unreachable</source>
        <translation>Server nicht erreichbar</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>can&apos;t reach the server; still retrying.</source>
        <translation>der Server ist nicht erreichbar; es wird weiter versucht.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Another device keeps winning</source>
        <translation>Ein anderes Gerät setzt sich durch</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>another device keeps setting your presence.</source>
        <translation>ein anderes Gerät setzt deine Anwesenheit immer wieder.</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Couldn&apos;t connect</source>
        <translation>Verbindung fehlgeschlagen</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Couldn&apos;t sign out</source>
        <translation>Abmelden fehlgeschlagen</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Couldn&apos;t remove the account</source>
        <translation>Konto konnte nicht entfernt werden</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Couldn&apos;t clear the override</source>
        <translation>Vorgabe konnte nicht aufgehoben werden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Couldn&apos;t set {state}</source>
        <translation>{state} konnte nicht gesetzt werden</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Couldn&apos;t change the status message</source>
        <translation>Statusnachricht konnte nicht geändert werden</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Couldn&apos;t sign in</source>
        <translation>Anmelden fehlgeschlagen</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Couldn&apos;t change “Start on login”</source>
        <translation>„Bei der Anmeldung starten“ konnte nicht geändert werden</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Signed in as {user}.</source>
        <translation>Angemeldet als {user}.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Not signed in yet: choose “Sign in…” in the menu.</source>
        <translation>Noch nicht angemeldet: wähle „Anmelden …“ im Menü.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Presence Tray is already running; its menu is on the tray icon.</source>
        <translation>Presence Tray läuft bereits; sein Menü ist am Symbol im Infobereich.</translation>
    </message>
    <message>
        <location filename="../tray_app/ui/error_words.py" line="+8"/>
        <source>{user} is signed out and removed from Presence Tray, but its login could not be deleted from the system keyring</source>
        <translation>{user} ist abgemeldet und aus Presence Tray entfernt, aber die Anmeldung konnte nicht aus dem Schlüsselbund des Systems gelöscht werden</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>{user} is removed from Presence Tray, but its login could not be deleted from the system keyring</source>
        <translation>{user} ist aus Presence Tray entfernt, aber die Anmeldung konnte nicht aus dem Schlüsselbund des Systems gelöscht werden</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Keyring item not removed</source>
        <translation>Schlüsselbund-Eintrag nicht entfernt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{what} ({why}). You can delete the item “{item}” / {user} with your keyring manager (e.g. Seahorse).</source>
        <translation>{what} ({why}). Du kannst den Eintrag „{item}“ / {user} mit deiner Schlüsselbundverwaltung (z. B. Seahorse) löschen.</translation>
    </message>
    <message>
        <location filename="../tray_app/ui/calendar_menu.py" line="+23"/>
        <source>Could not use the calendar: {detail}</source>
        <translation>Der Kalender kann nicht verwendet werden: {detail}</translation>
    </message>
</context>
<context>
    <name>SignIn</name>
    <message>
        <location filename="../tray_app/ui/error_words.py" line="-121"/>
        <source>Single sign-on took too long; try again.</source>
        <translation>Die Einmalanmeldung hat zu lange gedauert; versuche es erneut.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Single sign-on was cancelled.</source>
        <translation>Die Einmalanmeldung wurde abgebrochen.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Single sign-on was cancelled or failed in the browser.</source>
        <translation>Die Einmalanmeldung wurde im Browser abgebrochen oder ist fehlgeschlagen.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Couldn&apos;t open a web browser for single sign-on.</source>
        <translation>Für die Einmalanmeldung konnte kein Webbrowser geöffnet werden.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Single sign-on did not complete; try again.</source>
        <translation>Single Sign-on wurde nicht abgeschlossen; versuche es erneut.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Presence Tray won&apos;t send your password to {server} over plain http://: it would cross the network unencrypted. Use https://.</source>
        <translation>Presence Tray sendet dein Passwort nicht über unverschlüsseltes http:// an {server}: Es ginge unverschlüsselt durchs Netz. Verwende https://.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>“{address}” is not a homeserver address; it looks like https://matrix.example.org.</source>
        <translation>„{address}“ ist keine Homeserver-Adresse; sie hat die Form https://matrix.example.org.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>“{user}” is not a Matrix user ID; it looks like @name:example.org.</source>
        <translation>„{user}“ ist keine Matrix-Benutzer-ID; sie hat die Form @name:example.org.</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Can&apos;t reach the server at {server}. Check the user ID or the homeserver address, and your network connection.</source>
        <translation>Der Server unter {server} ist nicht erreichbar. Prüfe die Benutzer-ID oder die Homeserver-Adresse und deine Netzwerkverbindung.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Can&apos;t reach the server. Check the user ID or the homeserver address, and your network connection.</source>
        <translation>Der Server ist nicht erreichbar. Prüfe die Benutzer-ID oder die Homeserver-Adresse und deine Netzwerkverbindung.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Too many sign-in attempts. Wait a minute and try again.</source>
        <translation>Zu viele Anmeldeversuche. Warte eine Minute und versuche es erneut.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The user ID or the password is wrong.</source>
        <translation>Die Benutzer-ID oder das Passwort ist falsch.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>This account has been deactivated on the server.</source>
        <translation>Dieses Konto wurde auf dem Server deaktiviert.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The address at {server} doesn&apos;t look like a Matrix homeserver.</source>
        <translation>Die Adresse {server} sieht nicht nach einem Matrix-Homeserver aus.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The address doesn&apos;t look like a Matrix homeserver.</source>
        <translation>Die Adresse sieht nicht nach einem Matrix-Homeserver aus.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The server refused to sign you in ({code}: {error}).</source>
        <translation>Der Server hat die Anmeldung abgelehnt ({code}: {error}).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The server refused to sign you in ({code}).</source>
        <translation>Der Server hat die Anmeldung abgelehnt ({code}).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The address at {server} answered, but not like a Matrix homeserver.</source>
        <translation>Die Adresse {server} hat geantwortet, aber nicht wie ein Matrix-Homeserver.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The address answered, but not like a Matrix homeserver.</source>
        <translation>Die Adresse hat geantwortet, aber nicht wie ein Matrix-Homeserver.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Signing in failed unexpectedly ({error}).</source>
        <translation>Die Anmeldung ist unerwartet fehlgeschlagen ({error}).</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <location filename="../tray_app/ui/signin.py" line="+80"/>
        <source>Sign in — Presence Tray</source>
        <translation>Anmelden – Presence Tray</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>User ID</source>
        <translation>Benutzer-ID</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Your Matrix user ID, like @you:example.org</source>
        <translation>Deine Matrix-Benutzer-ID, etwa @du:example.org</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>found from your user ID (optional)</source>
        <translation>wird aus deiner Benutzer-ID ermittelt (optional)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Homeserver</source>
        <translation>Homeserver</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Optional: the homeserver&apos;s address; found from your user ID if empty</source>
        <translation>Optional: die Adresse des Homeservers; leer wird sie aus deiner Benutzer-ID ermittelt</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>your account password</source>
        <translation>das Passwort deines Kontos</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Password</source>
        <translation>Passwort</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>&amp;User ID:</source>
        <translation>&amp;Benutzer-ID:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Homeserver:</source>
        <translation>&amp;Homeserver:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Password:</source>
        <translation>&amp;Passwort:</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+191"/>
        <source>&amp;Sign in</source>
        <translation>&amp;Anmelden</translation>
    </message>
    <message>
        <location line="-189"/>
        <source>Sign in with &amp;browser…</source>
        <translation>Im Bro&amp;wser anmelden …</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Single sign-on: opens your web browser at your server&apos;s sign-in page</source>
        <translation>Single Sign-on: öffnet deinen Webbrowser auf der Anmeldeseite deines Servers</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+187"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location line="-174"/>
        <source>Sign in to your Matrix account. Presence Tray keeps a login token in your system keyring; your password is never stored.</source>
        <translation>Melde dich bei deinem Matrix-Konto an. Presence Tray bewahrt ein Anmelde-Token im Schlüsselbund deines Systems auf; dein Passwort wird nie gespeichert.</translation>
    </message>
    <message>
        <location line="+79"/>
        <source>Checking the server…</source>
        <translation>Prüfe den Server …</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Couldn&apos;t ask the server how to sign in: {reason}</source>
        <translation>Der Server konnte nicht nach der Anmeldeart gefragt werden: {reason}</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Server: {server} — sign in with password or single sign-on</source>
        <translation>Server: {server} – Anmeldung mit Passwort oder Single Sign-on</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Server: {server} — sign in with password</source>
        <translation>Server: {server} – Anmeldung mit Passwort</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Server: {server} — sign in with single sign-on</source>
        <translation>Server: {server} – Anmeldung mit Single Sign-on</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Server: {server} — sign in with a method Presence Tray doesn&apos;t support</source>
        <translation>Server: {server} – Anmeldung mit einer Methode, die Presence Tray nicht unterstützt</translation>
    </message>
    <message>
        <location line="+49"/>
        <location line="+71"/>
        <source>Signing in…</source>
        <translation>Anmeldung läuft …</translation>
    </message>
    <message>
        <location line="-70"/>
        <source>Stop waiting</source>
        <translation>Nicht mehr warten</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Finish signing in in your web browser. This window waits for it (up to 5 minutes); “Stop waiting” gives up.</source>
        <translation>Schließe die Anmeldung in deinem Webbrowser ab. Dieses Fenster wartet darauf (bis zu 5 Minuten); „Nicht mehr warten“ bricht ab.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Enter your user ID, like @you:example.org.</source>
        <translation>Gib deine Benutzer-ID ein, etwa @du:example.org.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Enter your password.</source>
        <translation>Gib dein Passwort ein.</translation>
    </message>
</context>
<context>
    <name>State</name>
    <message>
        <location filename="../tray_app/states.py" line="+38"/>
        <source>Busy</source>
        <translation>Beschäftigt</translation>
    </message>
    <message>
        <location line="-4"/>
        <source>Online</source>
        <translation>Online</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Away</source>
        <translation>Abwesend</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Offline</source>
        <translation>Offline</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Disabled</source>
        <translation>Deaktiviert</translation>
    </message>
</context>
<context>
    <name>StatusMessage</name>
    <message>
        <location filename="../tray_app/ui/message_words.py" line="+10"/>
        <source>Your message stays when you change your state, until you clear it or its time runs out.</source>
        <translation>Deine Nachricht bleibt, wenn du den Status änderst, bis du sie löschst oder ihre Zeit abläuft.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This server keeps a message only together with a state: it goes when the state is cleared.</source>
        <translation>Dieser Server speichert eine Nachricht nur zusammen mit einem Status: Sie verschwindet, wenn der Status aufgehoben wird.</translation>
    </message>
</context>
<context>
    <name>StatusMessageDialog</name>
    <message>
        <location filename="../tray_app/ui/status_dialog.py" line="+72"/>
        <source>Status message — Presence Tray</source>
        <translation>Statusnachricht – Presence Tray</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>A short &amp;message others see with your presence ({user}):</source>
        <translation>Eine kurze &amp;Nachricht, die andere mit deiner Anwesenheit sehen ({user}):</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Status message</source>
        <translation>Statusnachricht</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>e.g. In a meeting until 3</source>
        <translation>z. B. Bis 15 Uhr in einer Besprechung</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Recent messages</source>
        <translation>Letzte Nachrichten</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Recent:</source>
        <translation>&amp;Zuletzt:</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Suggested messages</source>
        <translation>Vorgeschlagene Nachrichten</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>S&amp;uggestions:</source>
        <translation>&amp;Vorschläge:</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Clear after</source>
        <translation>Löschen nach</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Clear &amp;after:</source>
        <translation>Löschen n&amp;ach:</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>&amp;Set message</source>
        <translation>Nachricht &amp;setzen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>C&amp;lear message</source>
        <translation>Nachricht &amp;löschen</translation>
    </message>
</context>
<context>
    <name>Summary</name>
    <message>
        <location filename="../tray_app/ui/accounts_summary.py" line="-25"/>
        <source>{state} (automatic)</source>
        <translation>{state} (automatisch)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>signed out</source>
        <translation>abgemeldet</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>{state} until {end}</source>
        <translation>{state} bis {end}</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>checking…</source>
        <translation>wird geprüft …</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{state} (can&apos;t reach the server)</source>
        <translation>{state} (Server nicht erreichbar)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{user} — {state}</source>
        <translation>{user} – {state}</translation>
    </message>
    <message numerus="yes">
        <location line="+8"/>
        <source>%n Online</source>
        <translation>
            <numerusform>%n Online</numerusform>
            <numerusform>%n Online</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>%n Away</source>
        <translation>
            <numerusform>%n Abwesend</numerusform>
            <numerusform>%n Abwesend</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>%n Busy</source>
        <translation>
            <numerusform>%n Beschäftigt</numerusform>
            <numerusform>%n Beschäftigt</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>%n Offline</source>
        <translation>
            <numerusform>%n Offline</numerusform>
            <numerusform>%n Offline</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>%n Disabled</source>
        <translation>
            <numerusform>%n Deaktiviert</numerusform>
            <numerusform>%n Deaktiviert</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>%n signed out</source>
        <translation>
            <numerusform>%n abgemeldet</numerusform>
            <numerusform>%n abgemeldet</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <location line="+2"/>
        <source>%n not known yet</source>
        <translation>
            <numerusform>%n noch unbekannt</numerusform>
            <numerusform>%n noch unbekannt</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+32"/>
        <location line="+2"/>
        <source>%n account(s): {states}</source>
        <translation>
            <numerusform>%n Konto: {states}</numerusform>
            <numerusform>%n Konten: {states}</numerusform>
        </translation>
    </message>
    <message>
        <location line="-11"/>
        <source>, </source>
        <translation>, </translation>
    </message>
    <message>
        <location line="+18"/>
        <source>{users} and {count} more</source>
        <translation>{users} und {count} weitere</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Sign in again: {users}</source>
        <translation>Erneut anmelden: {users}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Can&apos;t reach the server: {users}</source>
        <translation>Server nicht erreichbar: {users}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Another device wins: {users}</source>
        <translation>Ein anderes Gerät setzt sich durch: {users}</translation>
    </message>
</context>
<context>
    <name>Tooltip</name>
    <message>
        <location filename="../tray_app/ui/tooltip.py" line="+29"/>
        <source>Signed out</source>
        <translation>Abgemeldet</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Override: {override}</source>
        <translation>Vorgabe: {override}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Status message: “{message}”</source>
        <translation>Statusnachricht: „{message}“</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Others see: {presence}</source>
        <translation>Andere sehen: {presence}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Setting the status message…</source>
        <translation>Statusnachricht wird gesetzt …</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Setting {state}…</source>
        <translation>Setze {state} …</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Another device keeps winning; not fighting it</source>
        <translation>Ein anderes Gerät setzt sich durch; kein Gegenhalten</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Another device is winning for now; setting it back</source>
        <translation>Ein anderes Gerät setzt sich gerade durch; wird zurückgesetzt</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Not signed in — right-click to sign in</source>
        <translation>Nicht angemeldet – Rechtsklick zum Anmelden</translation>
    </message>
</context>
<context>
    <name>Window</name>
    <message>
        <location filename="../tray_app/ui/window_words.py" line="+12"/>
        <source>No system tray was found on this desktop (for example GNOME without the AppIndicator extension, or Wayland without a tray host), so Presence Tray shows its controls in this window instead. Closing the window quits Presence Tray.</source>
        <translation>Auf diesem Desktop wurde kein Systembereich der Kontrollleiste gefunden (etwa GNOME ohne die AppIndicator-Erweiterung oder Wayland ohne Tray-Host), daher zeigt Presence Tray seine Bedienelemente in diesem Fenster. Schließen des Fensters beendet Presence Tray.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Closing this window quits Presence Tray.</source>
        <translation>Schließen dieses Fensters beendet Presence Tray.</translation>
    </message>
    <message>
        <location filename="../tray_app/ui/window.py" line="+184"/>
        <source>{title}: {text}</source>
        <translation>{title}: {text}</translation>
    </message>
    <message>
        <location filename="../tray_app/ui/menu_content.py" line="-122"/>
        <source>Checking…</source>
        <translation>Prüfe …</translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../tray_app/ui/window_words.py" line="+6"/>
        <source>Not signed in</source>
        <translation>Nicht angemeldet</translation>
    </message>
    <message>
        <location filename="../tray_app/ui/window.py" line="-26"/>
        <source>State: {state}</source>
        <translation>Status: {state}</translation>
    </message>
    <message>
        <location filename="../tray_app/ui/menu_content.py" line="+50"/>
        <location filename="../tray_app/ui/menu_durations.py" line="+9"/>
        <source>choose…</source>
        <translation>wählen …</translation>
    </message>
    <message>
        <location filename="../tray_app/ui/labels.py" line="+17"/>
        <source>For…</source>
        <translation>Dauer …</translation>
    </message>
    <message>
        <location line="+67"/>
        <source>{field}:</source>
        <translation>{field}:</translation>
    </message>
    <message>
        <location filename="../tray_app/ui/account_row.py" line="+25"/>
        <source>Change…</source>
        <translation>Ändern …</translation>
    </message>
</context>
</TS>
