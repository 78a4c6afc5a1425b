<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
<context>
    <name>AccessKey</name>
    <message>
        <location filename="../tray_app/ui/access_keys.py" line="+31"/>
        <source>o</source>
        <comment>Online</comment>
        <translation>e</translation>
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
        <translation>o</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>f</source>
        <comment>Offline</comment>
        <translation>h</translation>
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
        <translation>u</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>e</source>
        <comment>End now</comment>
        <translation>t</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>x</source>
        <comment>Extend</comment>
        <translation>l</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>s</source>
        <comment>Status message…</comment>
        <translation>m</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>r</source>
        <comment>Refresh</comment>
        <translation>c</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>u</source>
        <comment>Sign out</comment>
        <translation>s</translation>
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
        <translation>r</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>t</source>
        <comment>Automatic presence</comment>
        <translation>p</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>l</source>
        <comment>Set all accounts</comment>
        <translation>g</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>c</source>
        <comment>Add account…</comment>
        <translation>j</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>g</source>
        <comment>Start on login</comment>
        <translation>v</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>p</source>
        <comment>Pause notifications while Busy</comment>
        <translation>i</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>q</source>
        <comment>Quit</comment>
        <translation>q</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>v</source>
        <comment>Server details…</comment>
        <translation>é</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>m</source>
        <comment>Clear message</comment>
        <translation>f</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>u</source>
        <comment>Until I change it</comment>
        <translation>j</translation>
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
        <translation>d</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>w</source>
        <comment>When I&apos;m idle or locked</comment>
        <translation>q</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>d</source>
        <comment>When do not disturb is on: Busy</comment>
        <translation>m</translation>
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
        <translation>h</translation>
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
        <translation>c</translation>
    </message>
</context>
<context>
    <name>Applet</name>
    <message>
        <location filename="../tray_app/ui/dialogs.py" line="+149"/>
        <source>Remove {user} from Presence Tray?</source>
        <translation>Retirer {user} de Presence Tray&#x202f;?</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sign out {user}?</source>
        <translation>Déconnecter {user}&#x202f;?</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Sign out — Presence Tray</source>
        <translation>Déconnexion — Presence Tray</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Your presence override stays as it is on the server. Signing in again needs your password.</source>
        <translation>Votre forçage de présence reste tel quel sur le serveur. Pour vous reconnecter, il faudra votre mot de passe.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Remove</source>
        <translation>&amp;Retirer</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Sign out</source>
        <translation>&amp;Se déconnecter</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Couldn&apos;t sign out {user}: {reason}</source>
        <translation>Impossible de déconnecter {user}&#xa0;: {reason}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Remove from this computer — Presence Tray</source>
        <translation>Retirer de cet ordinateur — Presence Tray</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Remove {user} from this computer only?</source>
        <translation>Retirer {user} de cet ordinateur seulement&#x202f;?</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Presence Tray forgets the login here (its keyring item and the account entry). The server can&apos;t be told, so this login stays valid there until you remove the device “Presence Tray” from another Matrix client.</source>
        <translation>Presence Tray oublie la connexion ici (son élément du trousseau et l’entrée du compte). Le serveur ne peut pas en être informé&#xa0;: cette connexion y reste valide jusqu’à ce que vous retiriez l’appareil «&#xa0;Presence Tray&#xa0;» depuis un autre client Matrix.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;Remove from this computer</source>
        <translation>&amp;Retirer de cet ordinateur</translation>
    </message>
</context>
<context>
    <name>AutoPresence</name>
    <message>
        <location filename="../tray_app/idle/policy.py" line="+51"/>
        <source>Idle detection isn&apos;t available on this desktop</source>
        <translation>La détection d’inactivité n’est pas disponible sur ce bureau</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Automatic: off</source>
        <translation>Automatique&#xa0;: désactivé</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no change</source>
        <translation>aucun changement</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Automatic: {state} (screen locked)</source>
        <translation>Automatique&#xa0;: {state} (écran verrouillé)</translation>
    </message>
    <message numerus="yes">
        <location line="+7"/>
        <location line="+1"/>
        <source>Automatic: {state} (idle %n min)</source>
        <translation>
            <numerusform>Automatique&#xa0;: {state} (inactif depuis %n minute)</numerusform>
            <numerusform>Automatique&#xa0;: {state} (inactif depuis %n minutes)</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Automatic: {state}</source>
        <translation>Automatique&#xa0;: {state}</translation>
    </message>
    <message>
        <location filename="../tray_app/ui/idle_menu.py" line="+111"/>
        <source>While the screen is locked: Offline</source>
        <translation>Écran verrouillé&#xa0;: Hors ligne</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>While the screen is locked: Away</source>
        <translation>Écran verrouillé&#xa0;: Absent</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>While the screen is locked: No change</source>
        <translation>Écran verrouillé&#xa0;: Aucun changement</translation>
    </message>
    <message>
        <location line="-31"/>
        <source>{automatic} — the override wins</source>
        <translation>{automatic} — le forçage l’emporte</translation>
    </message>
    <message>
        <location line="-7"/>
        <source>Automatic: off for this account</source>
        <translation>Automatique&#xa0;: désactivé pour ce compte</translation>
    </message>
    <message numerus="yes">
        <location line="+46"/>
        <location line="+1"/>
        <source>Set me away after %n min idle</source>
        <translation>
            <numerusform>M’indiquer absent après %n minute d’inactivité</numerusform>
            <numerusform>M’indiquer absent après %n minutes d’inactivité</numerusform>
        </translation>
    </message>
    <message>
        <location line="+101"/>
        <source>Apply to {user}</source>
        <translation>Appliquer à {user}</translation>
    </message>
    <message>
        <location line="-82"/>
        <source>Automatic presence</source>
        <translation>Présence automatique</translation>
    </message>
    <message>
        <location filename="../tray_app/ui/automatic_words.py" line="+19"/>
        <source>Automatic: {state} (do not disturb)</source>
        <translation>Automatique&#xa0;: {state} (ne pas déranger)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>in a meeting</source>
        <translation>en réunion</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Automatic: {state} — {what} until {end}</source>
        <translation>Automatique&#xa0;: {state} — {what} jusqu’à {end}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Automatic: {state} — {what}</source>
        <translation>Automatique&#xa0;: {state} — {what}</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>{automatic} — in a meeting: no Busy here</source>
        <translation>{automatic} — en réunion&#xa0;: pas de «&#xa0;Occupé&#xa0;» ici</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{automatic} — do not disturb: no Busy here</source>
        <translation>{automatic} — «&#xa0;Ne pas déranger&#xa0;»&#xa0;: pas de «&#xa0;Occupé&#xa0;» ici</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{automatic}, goes out within 30 s</source>
        <translation>{automatic}, envoyé d’ici 30 s</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>When do not disturb is on: Busy</source>
        <translation>En mode «&#xa0;Ne pas déranger&#xa0;»&#xa0;: Occupé</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>When I&apos;m idle or locked</source>
        <translation>Quand je suis inactif ou l’écran verrouillé</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>When do not disturb is on: Busy (none of these servers has Busy)</source>
        <translation>En mode «&#xa0;Ne pas déranger&#xa0;»&#xa0;: Occupé (aucun de ces serveurs n’a «&#xa0;Occupé&#xa0;»)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>When do not disturb is on: Busy (this server has no Busy)</source>
        <translation>En mode «&#xa0;Ne pas déranger&#xa0;»&#xa0;: Occupé (ce serveur n’a pas «&#xa0;Occupé&#xa0;»)</translation>
    </message>
</context>
<context>
    <name>Calendar</name>
    <message>
        <location filename="../tray_app/calendar/words.py" line="+20"/>
        <source>its address no longer works (HTTP {status})</source>
        <translation>son adresse ne fonctionne plus (HTTP {status})</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>its server fails (HTTP {status})</source>
        <translation>son serveur est en erreur (HTTP {status})</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the answer is not a calendar</source>
        <translation>la réponse n’est pas un calendrier</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>can&apos;t be reached</source>
        <translation>injoignable</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Calendar: {problem}</source>
        <translation>Calendrier&#xa0;: {problem}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Calendar: {problem} — using the copy from {time}</source>
        <translation>Calendrier&#xa0;: {problem} — la copie de {time} est utilisée</translation>
    </message>
    <message>
        <location filename="../tray_app/ui/calendar_menu.py" line="+49"/>
        <source>Calendar: its address cannot be read from the keyring</source>
        <translation>Calendrier&#xa0;: son adresse est illisible dans le trousseau</translation>
    </message>
</context>
<context>
    <name>CalendarDialog</name>
    <message>
        <location filename="../tray_app/ui/calendar_dialog.py" line="+40"/>
        <source>Use my calendar — Presence Tray</source>
        <translation>Utiliser mon calendrier — Presence Tray</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>While a meeting in your calendar runs, Presence Tray shows you as Busy until it ends (never over a state you chose yourself). Paste your calendar&apos;s private iCalendar &amp;address (Nextcloud, Google and Outlook give one) or choose an .ics file:</source>
        <translation>Pendant une réunion de votre calendrier, Presence Tray vous montre Occupé jusqu’à sa fin (jamais par-dessus un état que vous avez choisi). Collez l’&amp;adresse iCalendar privée de votre calendrier (Nextcloud, Google et Outlook en donnent une) ou choisissez un fichier .ics&#xa0;:</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>In use now: {where} (leave the field empty to keep it)</source>
        <translation>Utilisé maintenant&#xa0;: {where} (laissez le champ vide pour le garder)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Calendar address or file</source>
        <translation>Adresse ou fichier du calendrier</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>https://… or a file</source>
        <translation>https://… ou un fichier</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>C&amp;hoose file…</source>
        <translation>C&amp;hoisir un fichier…</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Show the meeting&apos;s &amp;title with Busy</source>
        <translation>Afficher le &amp;titre de la réunion avec Occupé</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The address is kept in your system keyring, like your logins.</source>
        <translation>L’adresse est gardée dans le trousseau du système, comme vos connexions.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Use calendar</source>
        <translation>&amp;Utiliser le calendrier</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Stop using calendar</source>
        <translation>&amp;Ne plus utiliser le calendrier</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Choose a calendar file</source>
        <translation>Choisir un fichier de calendrier</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>iCalendar files (*.ics);;All files (*)</source>
        <translation>Fichiers iCalendar (*.ics);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Paste the calendar&apos;s address, or choose a file.</source>
        <translation>Collez l’adresse du calendrier ou choisissez un fichier.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Plain http:// would send the calendar&apos;s private address unencrypted. Use https://.</source>
        <translation>Un simple http:// enverrait l’adresse privée du calendrier sans chiffrement. Utilisez https://.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This is not an address a calendar can be read from: use https://, webcal:// or a file.</source>
        <translation>Aucun calendrier ne peut être lu à cette adresse&#xa0;: utilisez https://, webcal:// ou un fichier.</translation>
    </message>
</context>
<context>
    <name>ClearAfter</name>
    <message>
        <location filename="../tray_app/messages.py" line="+58"/>
        <source>Don&apos;t clear</source>
        <translation>Ne pas effacer</translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n minute(s)</source>
        <translation>
            <numerusform>%n minute</numerusform>
            <numerusform>%n minutes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n hour(s)</source>
        <translation>
            <numerusform>%n heure</numerusform>
            <numerusform>%n heures</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Today</source>
        <translation>Aujourd’hui</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This week</source>
        <translation>Cette semaine</translation>
    </message>
</context>
<context>
    <name>Details</name>
    <message>
        <location filename="../tray_app/ui/server_details.py" line="+22"/>
        <source>Presence override, {msc} (stable endpoint {path})</source>
        <translation>Forçage de présence, {msc} (point d’accès stable {path})</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Presence override, {msc} (unstable prefix {prefix})</source>
        <translation>Forçage de présence, {msc} (préfixe instable {prefix})</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Presence override in account data, {msc}</source>
        <translation>Forçage de présence dans les données du compte, {msc}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>None: the server has no presence override ({msc}). Presence Tray holds this device&apos;s presence while it runs; other devices can outvote it.</source>
        <translation>Aucune&#xa0;: le serveur n’a pas de forçage de présence ({msc}). Presence Tray maintient la présence de cet appareil tant qu’il tourne&#x202f;; d’autres appareils peuvent l’emporter.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Not known yet (still checking)</source>
        <translation>Pas encore connue (vérification en cours)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Pushed by the server ({msc}, account data event {event})</source>
        <translation>Envoyées par le serveur ({msc}, événement de données du compte {event})</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Seen in what the server reports for your presence</source>
        <translation>Vues dans la présence que le serveur indique</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Read again when the menu opens, and regularly</source>
        <translation>Relues à l’ouverture du menu, et régulièrement</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{label}: {value}</source>
        <translation>{label}&#xa0;: {value}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>offered</source>
        <translation>proposé</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>not offered by this server</source>
        <translation>non proposé par ce serveur</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Account</source>
        <translation>Compte</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Homeserver</source>
        <translation>Serveur d’accueil</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Device</source>
        <translation>Appareil</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>In plain words</source>
        <translation>En clair</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Interface</source>
        <translation>Interface</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Changes made elsewhere</source>
        <translation>Changements faits ailleurs</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Busy</source>
        <translation>Occupé</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Status message with the override</source>
        <translation>Message d’état avec le forçage</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Server details — {user}</source>
        <translation>Détails du serveur — {user}</translation>
    </message>
</context>
<context>
    <name>Duration</name>
    <message>
        <location filename="../tray_app/durations.py" line="+35"/>
        <source>Until I change it</source>
        <translation>Jusqu’à ce que je le change</translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n minute(s)</source>
        <translation>
            <numerusform>%n minute</numerusform>
            <numerusform>%n minutes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <location line="+1"/>
        <source>%n hour(s)</source>
        <translation>
            <numerusform>%n heure</numerusform>
            <numerusform>%n heures</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Until tomorrow morning</source>
        <translation>Jusqu’à demain matin</translation>
    </message>
    <message>
        <location line="+67"/>
        <source>less than a minute</source>
        <translation>moins d’une minute</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{minutes} min</source>
        <translation>{minutes}&#xa0;min</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{hours} h</source>
        <translation>{hours}&#xa0;h</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{hours} h {minutes} min</source>
        <translation>{hours}&#xa0;h&#xa0;{minutes}</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>tomorrow {time}</source>
        <translation>demain {time}</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>ends in {left} ({end})</source>
        <translation>se termine dans {left} ({end})</translation>
    </message>
</context>
<context>
    <name>Error</name>
    <message>
        <location filename="../tray_app/ui/error_words.py" line="+27"/>
        <source>can&apos;t reach the server. Check your network connection and try again.</source>
        <translation>impossible de joindre le serveur. Vérifiez votre connexion réseau et réessayez.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the server no longer accepts this login. Sign in again.</source>
        <translation>le serveur n’accepte plus cette connexion. Reconnectez-vous.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>the server says there were too many changes in a short time. Wait {seconds} s and try again.</source>
        <translation>le serveur signale trop de changements en peu de temps. Attendez {seconds} s et réessayez.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the server says there were too many changes in a short time. Wait a moment and try again.</source>
        <translation>le serveur signale trop de changements en peu de temps. Attendez un instant et réessayez.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>the server refused ({code}): {error}</source>
        <translation>le serveur a refusé ({code})&#xa0;: {error}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the server refused ({code}).</source>
        <translation>le serveur a refusé ({code}).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the server gave an answer Presence Tray doesn&apos;t understand. {detail}</source>
        <translation>le serveur a donné une réponse que Presence Tray ne comprend pas. {detail}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>something went wrong ({error}).</source>
        <translation>une erreur s’est produite ({error}).</translation>
    </message>
    <message>
        <location line="+109"/>
        <source>To remove the account from this computer only, choose “Remove from this computer…” in the menu.</source>
        <translation>Pour supprimer le compte de cet ordinateur seulement, choisissez «&#xa0;Retirer de cet ordinateur…&#xa0;» dans le menu.</translation>
    </message>
</context>
<context>
    <name>Extend</name>
    <message numerus="yes">
        <location filename="../tray_app/ui/menu_durations.py" line="+64"/>
        <source>%n more minute(s)</source>
        <translation>
            <numerusform>%n minute de plus</numerusform>
            <numerusform>%n minutes de plus</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <location line="+2"/>
        <source>%n more hour(s)</source>
        <translation>
            <numerusform>%n heure de plus</numerusform>
            <numerusform>%n heures de plus</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Menu</name>
    <message>
        <location filename="../tray_app/ui/labels.py" line="+12"/>
        <source>No override (automatic)</source>
        <translation>Aucun forçage (automatique)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Disabled (acts as Offline here)</source>
        <translation>Désactivé (équivaut à Hors ligne ici)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Disabled — share no presence at all</source>
        <translation>Désactivé — ne partager aucune présence</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Disabled — this server doesn&apos;t offer it</source>
        <translation>Désactivé — ce serveur ne le propose pas</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>This computer holds your choice; other devices can outvote it</source>
        <translation>Gardé par cet ordinateur&#x202f;; d’autres appareils peuvent l’emporter</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Your server holds your choice for all your devices</source>
        <translation>Votre serveur garde votre choix pour tous vos appareils</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Server details…</source>
        <translation>Détails du serveur…</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>{state} — until {end}</source>
        <translation>{state} — jusqu’à {end}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Then: no override</source>
        <translation>Ensuite&#xa0;: aucun forçage</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Then: back to {state}</source>
        <translation>Ensuite&#xa0;: retour à {state}</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>not known yet</source>
        <translation>pas encore connu</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Others see no presence</source>
        <translation>Les autres ne voient aucune présence</translation>
    </message>
    <message>
        <location filename="../tray_app/ui/accounts_summary.py" line="+46"/>
        <location filename="../tray_app/ui/labels.py" line="+8"/>
        <source>unknown state “{state}”</source>
        <translation>état inconnu «&#xa0;{state}&#xa0;»</translation>
    </message>
    <message>
        <location filename="../tray_app/ui/labels.py" line="+7"/>
        <source>last known, checking…</source>
        <translation>dernier état connu, vérification…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>last known, not confirmed</source>
        <translation>dernier état connu, non confirmé</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Signed out — {reason}</source>
        <translation>Déconnecté — {reason}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>sign in again</source>
        <translation>reconnectez-vous</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Can&apos;t reach the server — retrying</source>
        <translation>Serveur injoignable — nouvel essai en cours</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Connecting…</source>
        <translation>Connexion…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Signing out {user}…</source>
        <translation>Déconnexion de {user}…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Removing {user}…</source>
        <translation>Retrait de {user}…</translation>
    </message>
    <message>
        <location filename="../tray_app/ui/menu_account.py" line="+113"/>
        <source>Sign in again…</source>
        <translation>Se reconnecter…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Remove this account</source>
        <translation>Retirer ce compte</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Another device keeps winning — not fighting it</source>
        <translation>Un autre appareil l’emporte — pas de lutte</translation>
    </message>
    <message>
        <location filename="../tray_app/ui/labels.py" line="-43"/>
        <source>Others see you as: {presence}</source>
        <translation>Les autres vous voient&#xa0;: {presence}</translation>
    </message>
    <message>
        <location filename="../tray_app/ui/message_words.py" line="+18"/>
        <source>Status message: “{message}”</source>
        <translation>Message d’état&#xa0;: «&#xa0;{message}&#xa0;»</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{message} — clears at {end}</source>
        <translation>{message} — effacé à {end}</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Status message… (this server keeps one only with a state)</source>
        <translation>Message d’état… (ce serveur ne le garde qu’avec un état)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Clear message</source>
        <translation>Effacer le message</translation>
    </message>
    <message>
        <location filename="../tray_app/ui/menu_account.py" line="+8"/>
        <source>Last change failed: {error}</source>
        <translation>Le dernier changement a échoué&#xa0;: {error}</translation>
    </message>
    <message>
        <location filename="../tray_app/ui/labels.py" line="-35"/>
        <source> — setting…</source>
        <translation> — en cours…</translation>
    </message>
    <message>
        <location filename="../tray_app/ui/menu_account.py" line="+53"/>
        <source>Server reports an unknown state: “{state}”</source>
        <translation>Le serveur indique un état inconnu&#xa0;: «&#xa0;{state}&#xa0;»</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>End now</source>
        <translation>Terminer maintenant</translation>
    </message>
    <message>
        <location filename="../tray_app/ui/message_words.py" line="-7"/>
        <source>Status message… (this server doesn&apos;t keep one)</source>
        <translation>Message d’état… (ce serveur n’en garde pas)</translation>
    </message>
    <message>
        <location line="-4"/>
        <location line="+2"/>
        <location line="+5"/>
        <source>Status message…</source>
        <translation>Message d’état…</translation>
    </message>
    <message>
        <location filename="../tray_app/ui/menu_account.py" line="+35"/>
        <location filename="../tray_app/ui/menu_content.py" line="+158"/>
        <source>Refresh</source>
        <translation>Actualiser</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Sign out</source>
        <translation>Se déconnecter</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Remove from this computer…</source>
        <translation>Retirer de cet ordinateur…</translation>
    </message>
    <message>
        <location filename="../tray_app/ui/menu_content.py" line="-23"/>
        <source>Not signed in</source>
        <translation>Non connecté</translation>
    </message>
    <message>
        <location line="-18"/>
        <source>Set all accounts</source>
        <translation>Régler tous les comptes</translation>
    </message>
    <message>
        <location filename="../tray_app/ui/menu_durations.py" line="-19"/>
        <source>Extend</source>
        <translation>Prolonger</translation>
    </message>
    <message>
        <location filename="../tray_app/ui/menu_content.py" line="+41"/>
        <source>Refresh all</source>
        <translation>Tout actualiser</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Sign in…</source>
        <translation>Se connecter…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Add account…</source>
        <translation>Ajouter un compte…</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Start on login</source>
        <translation>Lancer à l’ouverture de session</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Pause notifications while Busy</source>
        <translation>Suspendre les notifications en mode «&#xa0;Occupé&#xa0;»</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Quit</source>
        <translation>Quitter</translation>
    </message>
    <message>
        <location filename="../tray_app/ui/calendar_menu.py" line="-15"/>
        <source>Use my calendar…</source>
        <translation>Utiliser mon calendrier…</translation>
    </message>
</context>
<context>
    <name>Message</name>
    <message>
        <location filename="../tray_app/messages.py" line="-40"/>
        <source>In a meeting</source>
        <translation>En réunion</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Commuting</source>
        <translation>En déplacement</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Out sick</source>
        <translation>Malade</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>On holiday</source>
        <translation>En vacances</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Focusing</source>
        <translation>Concentré</translation>
    </message>
</context>
<context>
    <name>Mode</name>
    <message>
        <location filename="../tray_app/session_state.py" line="+36"/>
        <source>Server override (MSC4043)</source>
        <translation>Forçage par le serveur (MSC4043)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Server override (MSC4532, account data)</source>
        <translation>Forçage par le serveur (MSC4532, données du compte)</translation>
    </message>
    <message>
        <location line="+68"/>
        <source>{mode}, changes pushed via MSC4532</source>
        <translation>{mode}, changements transmis par MSC4532</translation>
    </message>
    <message>
        <location line="-69"/>
        <source>Server override (unstable MSC4043)</source>
        <translation>Forçage par le serveur (MSC4043 instable)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Emulated — this server has no override API</source>
        <translation>Émulé — ce serveur n’a pas d’API de forçage</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Checking what the server offers…</source>
        <translation>Vérification de ce que propose le serveur…</translation>
    </message>
</context>
<context>
    <name>Notification</name>
    <message>
        <location filename="../tray_app/ui/notifications.py" line="+42"/>
        <source>Back online</source>
        <translation>De nouveau joignable</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{user}: the server can be reached again.</source>
        <translation>{user}&#xa0;: le serveur est de nouveau joignable.</translation>
    </message>
    <message>
        <location line="+16"/>
        <location line="+51"/>
        <source>{user}: {detail}</source>
        <translation>{user}&#xa0;: {detail}</translation>
    </message>
    <message>
        <location line="-44"/>
        <source>changed</source>
        <translation>modifié</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Presence changed elsewhere</source>
        <translation>Présence modifiée ailleurs</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{user}: now {state}.</source>
        <translation>{user}&#xa0;: maintenant {state}.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Timed override ended</source>
        <translation>Forçage temporaire terminé</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>your timed override ended.</source>
        <translation>votre forçage temporaire est terminé.</translation>
    </message>
    <message>
        <location line="-4"/>
        <source>{user}: the time is up; now {state}.</source>
        <translation>{user}&#xa0;: le temps est écoulé&#x202f;; maintenant {state}.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Sign in again</source>
        <translation>Reconnectez-vous</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the server signed you out.</source>
        <translation>le serveur vous a déconnecté.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Use “Sign in again…” in the menu.</source>
        <translation>Utilisez «&#xa0;Se reconnecter…&#xa0;» dans le menu.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Server unreachable</source>
        <translation>Serveur injoignable</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>can&apos;t reach the server; still retrying.</source>
        <translation>le serveur est injoignable&#x202f;; nouvelles tentatives en cours.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Another device keeps winning</source>
        <translation>Un autre appareil l’emporte</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>another device keeps setting your presence.</source>
        <translation>un autre appareil redéfinit sans cesse votre présence.</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Couldn&apos;t connect</source>
        <translation>Connexion impossible</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Couldn&apos;t sign out</source>
        <translation>Déconnexion impossible</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Couldn&apos;t remove the account</source>
        <translation>Impossible de supprimer le compte</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Couldn&apos;t clear the override</source>
        <translation>Impossible de lever le forçage</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Couldn&apos;t set {state}</source>
        <translation>Impossible de passer en {state}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Couldn&apos;t change the status message</source>
        <translation>Impossible de modifier le message d’état</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Couldn&apos;t sign in</source>
        <translation>Connexion impossible</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Couldn&apos;t change “Start on login”</source>
        <translation>Impossible de modifier «&#xa0;Lancer à l’ouverture de session&#xa0;»</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Signed in as {user}.</source>
        <translation>Connecté en tant que {user}.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Not signed in yet: choose “Sign in…” in the menu.</source>
        <translation>Pas encore connecté&#xa0;: choisissez «&#xa0;Se connecter…&#xa0;» dans le menu.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Presence Tray is already running; its menu is on the tray icon.</source>
        <translation>Presence Tray est déjà lancé&#x202f;; son menu est sur l’icône de la zone de notification.</translation>
    </message>
    <message>
        <location filename="../tray_app/ui/error_words.py" line="+8"/>
        <source>{user} is signed out and removed from Presence Tray, but its login could not be deleted from the system keyring</source>
        <translation>{user} est déconnecté et retiré de Presence Tray, mais sa connexion n’a pas pu être supprimée du trousseau du système</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>{user} is removed from Presence Tray, but its login could not be deleted from the system keyring</source>
        <translation>{user} est retiré de Presence Tray, mais sa connexion n’a pas pu être supprimée du trousseau du système</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Keyring item not removed</source>
        <translation>Élément du trousseau non supprimé</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{what} ({why}). You can delete the item “{item}” / {user} with your keyring manager (e.g. Seahorse).</source>
        <translation>{what} ({why}). Vous pouvez supprimer l’élément «&#xa0;{item}&#xa0;» / {user} avec votre gestionnaire de trousseau (p. ex. Seahorse).</translation>
    </message>
    <message>
        <location filename="../tray_app/ui/calendar_menu.py" line="+23"/>
        <source>Could not use the calendar: {detail}</source>
        <translation>Impossible d’utiliser le calendrier&#xa0;: {detail}</translation>
    </message>
</context>
<context>
    <name>SignIn</name>
    <message>
        <location filename="../tray_app/ui/error_words.py" line="-121"/>
        <source>Single sign-on took too long; try again.</source>
        <translation>L’authentification unique a pris trop de temps&#x202f;; réessayez.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Single sign-on was cancelled.</source>
        <translation>L’authentification unique a été annulée.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Single sign-on was cancelled or failed in the browser.</source>
        <translation>L’authentification unique a été annulée ou a échoué dans le navigateur.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Couldn&apos;t open a web browser for single sign-on.</source>
        <translation>Impossible d’ouvrir un navigateur web pour l’authentification unique.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Single sign-on did not complete; try again.</source>
        <translation>L’authentification unique n’a pas abouti&#x202f;; réessayez.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Presence Tray won&apos;t send your password to {server} over plain http://: it would cross the network unencrypted. Use https://.</source>
        <translation>Presence Tray n’enverra pas votre mot de passe à {server} en http:// simple&#xa0;: il traverserait le réseau sans chiffrement. Utilisez https://.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>“{address}” is not a homeserver address; it looks like https://matrix.example.org.</source>
        <translation>«&#xa0;{address}&#xa0;» n’est pas une adresse de serveur d’accueil&#x202f;; elle est de la forme https://matrix.example.org.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>“{user}” is not a Matrix user ID; it looks like @name:example.org.</source>
        <translation>«&#xa0;{user}&#xa0;» n’est pas un identifiant Matrix&#x202f;; il est de la forme @nom:example.org.</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Can&apos;t reach the server at {server}. Check the user ID or the homeserver address, and your network connection.</source>
        <translation>Impossible de joindre le serveur {server}. Vérifiez l’identifiant ou l’adresse du serveur d’accueil, et votre connexion réseau.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Can&apos;t reach the server. Check the user ID or the homeserver address, and your network connection.</source>
        <translation>Impossible de joindre le serveur. Vérifiez l’identifiant ou l’adresse du serveur d’accueil, et votre connexion réseau.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Too many sign-in attempts. Wait a minute and try again.</source>
        <translation>Trop de tentatives de connexion. Attendez une minute et réessayez.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The user ID or the password is wrong.</source>
        <translation>L’identifiant ou le mot de passe est incorrect.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>This account has been deactivated on the server.</source>
        <translation>Ce compte a été désactivé sur le serveur.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The address at {server} doesn&apos;t look like a Matrix homeserver.</source>
        <translation>L’adresse {server} ne ressemble pas à un serveur d’accueil Matrix.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The address doesn&apos;t look like a Matrix homeserver.</source>
        <translation>L’adresse ne ressemble pas à un serveur d’accueil Matrix.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The server refused to sign you in ({code}: {error}).</source>
        <translation>Le serveur a refusé la connexion ({code}&#xa0;: {error}).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The server refused to sign you in ({code}).</source>
        <translation>Le serveur a refusé la connexion ({code}).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The address at {server} answered, but not like a Matrix homeserver.</source>
        <translation>L’adresse {server} a répondu, mais pas comme un serveur d’accueil Matrix.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The address answered, but not like a Matrix homeserver.</source>
        <translation>L’adresse a répondu, mais pas comme un serveur d’accueil Matrix.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Signing in failed unexpectedly ({error}).</source>
        <translation>La connexion a échoué de façon inattendue ({error}).</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <location filename="../tray_app/ui/signin.py" line="+80"/>
        <source>Sign in — Presence Tray</source>
        <translation>Connexion — Presence Tray</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>User ID</source>
        <translation>Identifiant</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Your Matrix user ID, like @you:example.org</source>
        <translation>Votre identifiant Matrix, par exemple @vous:example.org</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>found from your user ID (optional)</source>
        <translation>déduit de votre identifiant (facultatif)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Homeserver</source>
        <translation>Serveur d’accueil</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Optional: the homeserver&apos;s address; found from your user ID if empty</source>
        <translation>Facultatif&#xa0;: l’adresse du serveur d’accueil&#x202f;; déduite de votre identifiant si vide</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>your account password</source>
        <translation>le mot de passe de votre compte</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Password</source>
        <translation>Mot de passe</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>&amp;User ID:</source>
        <translation>&amp;Identifiant&#xa0;:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Homeserver:</source>
        <translation>Serveur d’&amp;accueil&#xa0;:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Password:</source>
        <translation>&amp;Mot de passe&#xa0;:</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+191"/>
        <source>&amp;Sign in</source>
        <translation>&amp;Se connecter</translation>
    </message>
    <message>
        <location line="-189"/>
        <source>Sign in with &amp;browser…</source>
        <translation>Se connecter avec le &amp;navigateur…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Single sign-on: opens your web browser at your server&apos;s sign-in page</source>
        <translation>Authentification unique&#xa0;: ouvre votre navigateur sur la page de connexion de votre serveur</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+187"/>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <location line="-174"/>
        <source>Sign in to your Matrix account. Presence Tray keeps a login token in your system keyring; your password is never stored.</source>
        <translation>Connectez-vous à votre compte Matrix. Presence Tray garde un jeton de connexion dans le trousseau de votre système&#x202f;; votre mot de passe n’est jamais enregistré.</translation>
    </message>
    <message>
        <location line="+79"/>
        <source>Checking the server…</source>
        <translation>Vérification du serveur…</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Couldn&apos;t ask the server how to sign in: {reason}</source>
        <translation>Impossible de demander au serveur comment se connecter&#xa0;: {reason}</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Server: {server} — sign in with password or single sign-on</source>
        <translation>Serveur&#xa0;: {server} — connexion par mot de passe ou authentification unique</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Server: {server} — sign in with password</source>
        <translation>Serveur&#xa0;: {server} — connexion par mot de passe</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Server: {server} — sign in with single sign-on</source>
        <translation>Serveur&#xa0;: {server} — connexion par authentification unique</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Server: {server} — sign in with a method Presence Tray doesn&apos;t support</source>
        <translation>Serveur&#xa0;: {server} — connexion par une méthode que Presence Tray ne prend pas en charge</translation>
    </message>
    <message>
        <location line="+49"/>
        <location line="+71"/>
        <source>Signing in…</source>
        <translation>Connexion…</translation>
    </message>
    <message>
        <location line="-70"/>
        <source>Stop waiting</source>
        <translation>Ne plus attendre</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Finish signing in in your web browser. This window waits for it (up to 5 minutes); “Stop waiting” gives up.</source>
        <translation>Terminez la connexion dans votre navigateur. Cette fenêtre l’attend (jusqu’à 5 minutes)&#x202f;; «&#xa0;Ne plus attendre&#xa0;» abandonne.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Enter your user ID, like @you:example.org.</source>
        <translation>Saisissez votre identifiant, par exemple @vous:example.org.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Enter your password.</source>
        <translation>Saisissez votre mot de passe.</translation>
    </message>
</context>
<context>
    <name>State</name>
    <message>
        <location filename="../tray_app/states.py" line="+38"/>
        <source>Busy</source>
        <translation>Occupé</translation>
    </message>
    <message>
        <location line="-4"/>
        <source>Online</source>
        <translation>En ligne</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Away</source>
        <translation>Absent</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Offline</source>
        <translation>Hors ligne</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Disabled</source>
        <translation>Désactivé</translation>
    </message>
</context>
<context>
    <name>StatusMessage</name>
    <message>
        <location filename="../tray_app/ui/message_words.py" line="+10"/>
        <source>Your message stays when you change your state, until you clear it or its time runs out.</source>
        <translation>Votre message reste quand vous changez d’état, jusqu’à ce que vous l’effaciez ou que son délai expire.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This server keeps a message only together with a state: it goes when the state is cleared.</source>
        <translation>Ce serveur ne garde un message qu’avec un état&#xa0;: il disparaît quand l’état est retiré.</translation>
    </message>
</context>
<context>
    <name>StatusMessageDialog</name>
    <message>
        <location filename="../tray_app/ui/status_dialog.py" line="+72"/>
        <source>Status message — Presence Tray</source>
        <translation>Message d’état — Presence Tray</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>A short &amp;message others see with your presence ({user}):</source>
        <translation>Un court &amp;message que les autres voient avec votre présence ({user})&#xa0;:</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Status message</source>
        <translation>Message d’état</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>e.g. In a meeting until 3</source>
        <translation>p. ex. En réunion jusqu’à 15 h</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Recent messages</source>
        <translation>Messages récents</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Recent:</source>
        <translation>&amp;Récents&#xa0;:</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Suggested messages</source>
        <translation>Messages suggérés</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>S&amp;uggestions:</source>
        <translation>S&amp;uggestions&#xa0;:</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Clear after</source>
        <translation>Effacer après</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Clear &amp;after:</source>
        <translation>Effacer &amp;après&#xa0;:</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>&amp;Set message</source>
        <translation>&amp;Définir le message</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>C&amp;lear message</source>
        <translation>&amp;Effacer le message</translation>
    </message>
</context>
<context>
    <name>Summary</name>
    <message>
        <location filename="../tray_app/ui/accounts_summary.py" line="-25"/>
        <source>{state} (automatic)</source>
        <translation>{state} (automatique)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>signed out</source>
        <translation>déconnecté</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>{state} until {end}</source>
        <translation>{state} jusqu’à {end}</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>checking…</source>
        <translation>vérification…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{state} (can&apos;t reach the server)</source>
        <translation>{state} (serveur injoignable)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{user} — {state}</source>
        <translation>{user} — {state}</translation>
    </message>
    <message numerus="yes">
        <location line="+8"/>
        <source>%n Online</source>
        <translation>
            <numerusform>%n En ligne</numerusform>
            <numerusform>%n En ligne</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>%n Away</source>
        <translation>
            <numerusform>%n Absent</numerusform>
            <numerusform>%n Absents</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>%n Busy</source>
        <translation>
            <numerusform>%n Occupé</numerusform>
            <numerusform>%n Occupés</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>%n Offline</source>
        <translation>
            <numerusform>%n Hors ligne</numerusform>
            <numerusform>%n Hors ligne</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>%n Disabled</source>
        <translation>
            <numerusform>%n Désactivé</numerusform>
            <numerusform>%n Désactivés</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>%n signed out</source>
        <translation>
            <numerusform>%n déconnecté</numerusform>
            <numerusform>%n déconnectés</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <location line="+2"/>
        <source>%n not known yet</source>
        <translation>
            <numerusform>%n pas encore connu</numerusform>
            <numerusform>%n pas encore connus</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+32"/>
        <location line="+2"/>
        <source>%n account(s): {states}</source>
        <translation>
            <numerusform>%n compte&#xa0;: {states}</numerusform>
            <numerusform>%n comptes&#xa0;: {states}</numerusform>
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
        <translation>{users} et {count} autres</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Sign in again: {users}</source>
        <translation>Reconnectez-vous&#xa0;: {users}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Can&apos;t reach the server: {users}</source>
        <translation>Serveur injoignable&#xa0;: {users}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Another device wins: {users}</source>
        <translation>Un autre appareil l’emporte&#xa0;: {users}</translation>
    </message>
</context>
<context>
    <name>Tooltip</name>
    <message>
        <location filename="../tray_app/ui/tooltip.py" line="+29"/>
        <source>Signed out</source>
        <translation>Déconnecté</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Override: {override}</source>
        <translation>Forçage&#xa0;: {override}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Status message: “{message}”</source>
        <translation>Message d’état&#xa0;: «&#xa0;{message}&#xa0;»</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Others see: {presence}</source>
        <translation>Les autres voient&#xa0;: {presence}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Setting the status message…</source>
        <translation>Réglage du message d’état…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Setting {state}…</source>
        <translation>Réglage sur {state}…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Another device keeps winning; not fighting it</source>
        <translation>Un autre appareil l’emporte&#x202f;; pas de lutte</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Another device is winning for now; setting it back</source>
        <translation>Un autre appareil l’emporte pour l’instant&#x202f;; rétablissement en cours</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Not signed in — right-click to sign in</source>
        <translation>Non connecté — clic droit pour se connecter</translation>
    </message>
</context>
<context>
    <name>Window</name>
    <message>
        <location filename="../tray_app/ui/window_words.py" line="+12"/>
        <source>No system tray was found on this desktop (for example GNOME without the AppIndicator extension, or Wayland without a tray host), so Presence Tray shows its controls in this window instead. Closing the window quits Presence Tray.</source>
        <translation>Aucune zone de notification n’a été trouvée sur ce bureau (par exemple GNOME sans l’extension AppIndicator, ou Wayland sans hôte de zone de notification)&#xa0;: Presence Tray affiche donc ses commandes dans cette fenêtre. Fermer la fenêtre quitte Presence Tray.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Closing this window quits Presence Tray.</source>
        <translation>Fermer cette fenêtre quitte Presence Tray.</translation>
    </message>
    <message>
        <location filename="../tray_app/ui/window.py" line="+184"/>
        <source>{title}: {text}</source>
        <translation>{title}&#xa0;: {text}</translation>
    </message>
    <message>
        <location filename="../tray_app/ui/menu_content.py" line="-122"/>
        <source>Checking…</source>
        <translation>Vérification…</translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../tray_app/ui/window_words.py" line="+6"/>
        <source>Not signed in</source>
        <translation>Non connecté</translation>
    </message>
    <message>
        <location filename="../tray_app/ui/window.py" line="-26"/>
        <source>State: {state}</source>
        <translation>État&#xa0;: {state}</translation>
    </message>
    <message>
        <location filename="../tray_app/ui/menu_content.py" line="+50"/>
        <location filename="../tray_app/ui/menu_durations.py" line="+9"/>
        <source>choose…</source>
        <translation>choisir…</translation>
    </message>
    <message>
        <location filename="../tray_app/ui/labels.py" line="+17"/>
        <source>For…</source>
        <translation>Durée…</translation>
    </message>
    <message>
        <location line="+67"/>
        <source>{field}:</source>
        <translation>{field}&#xa0;:</translation>
    </message>
    <message>
        <location filename="../tray_app/ui/account_row.py" line="+25"/>
        <source>Change…</source>
        <translation>Modifier…</translation>
    </message>
</context>
</TS>
