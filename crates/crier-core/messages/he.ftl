## crier's messages in Hebrew. The comment above each message says where it appears.
## Copy a message into messages/he.ftl beside your config.toml to change its wording.

## The heading of each post: the first line of its text, and the footer of its Discord embed.

# A post about a new event.
post-new = אירוע חדש
# A reminder before an event; $when says how soon it starts (see starts-in).
post-reminder = תזכורת: { $when }
# A notice that an event moved, when its old date is not known.
post-rescheduled = שינוי מועד
# A notice that an event moved; $was is its old date and time.
post-rescheduled-from = שינוי מועד (במקום { $was })
# A notice that an event is cancelled.
post-cancelled = בוטל
# A post that a talk's (or an event's) recording is online.
post-recording = הקלטה זמינה
# The digest of upcoming events, and the title of /upcoming.
post-digest = אירועים קרובים

# How soon an event starts, in a reminder's heading and on each line of the digest. $unit is one of
# now, seconds, minutes, hours, tomorrow, days; $count is how many of them.
starts-in =
    { $unit ->
        [now] עכשיו
        [seconds]
            { $count ->
                [one] בעוד שנייה
                [two] בעוד שתי שניות
               *[other] בעוד { $count } שניות
            }
        [minutes]
            { $count ->
                [one] בעוד דקה
                [two] בעוד שתי דקות
               *[other] בעוד { $count } דקות
            }
        [hours]
            { $count ->
                [one] בעוד שעה
                [two] בעוד שעתיים
               *[other] בעוד { $count } שעות
            }
        [tomorrow] מחר
       *[days]
            { $count ->
                [one] בעוד יום
                [two] בעוד יומיים
               *[other] בעוד { $count } ימים
            }
    }

## The plain text of a post: what the console prints, and the text of a digest.

# The first line of a post's text: its heading, then the event's (or the talk's) title.
text-heading = { $heading }: { $title }
# How a series of events repeats, as its file writes it.
text-repeats = תדירות: { $rule }
# When the event starts: $date in the event's own time zone, named by $zone.
text-when = מתי: { $date } ({ $zone })
# Where the event is (see place-online, place-in-person, place-at).
text-where = איפה: { $place }
# The event's language, as its file writes it.
text-language = שפה: { $language }
# The event's registration link.
text-register = הרשמה: { $url }
# A recording's speakers.
text-by = מאת: { $speakers }
# The event a recorded talk was given at, and its date.
text-at = אירוע: { $event } ({ $date })
# One line of the digest: the event's date, title and how soon it starts.
digest-line = - { $date } — { $title } ({ $when })
# The digest, /upcoming and other lists when nothing is coming up.
digest-empty = עוד לא תוכנן כלום.
# A recording link's label, in a recording post and in /talks.
recording = הקלטה
# The label of one of several recording links; $number counts them.
recording-numbered = הקלטה { $number }
# The label of a recording in one language; $language is its code (en, he, ...).
recording-in =
    { $language ->
        [en] הקלטה (אנגלית)
        [he] הקלטה (עברית)
       *[other] הקלטה ({ $language })
    }

## Where an event takes place: in a post's text and its embed's "Where" field.

# An online event.
place-online = אונליין
# An event in person whose place the file does not name.
place-in-person = פרונטלי
# An event in person at $location.
place-at = פרונטלי, { $location }

## The fields and buttons of a Discord post, and of an event shown by /next and /event.

# When the event starts.
field-when = מתי
# When a moved event now starts.
field-now = מועד חדש
# When a moved event started before.
field-was = מועד קודם
# How a series repeats.
field-repeats = תדירות
# Where the event is.
field-where = איפה
# The event's language.
field-language = שפה
# The event a recorded talk was given at.
field-event = אירוע
# How many members marked the event as interested in the server's Events tab.
field-interested = מתעניינים
# A date whose time is not known yet; $date is the date as Discord shows it.
time-to-be-announced = { $date }, השעה תפורסם בהמשך
# The first line of a cancelled event's post, and of /event for it.
event-cancelled = האירוע הזה בוטל.
# An event that is cancelled, in the digest and in lists.
title-cancelled = { $title } (בוטל)
# The button that opens an event's registration page.
button-register = הרשמה
# The button that opens a recording.
button-watch = צפייה

## The server's Events tab: the place of a scheduled event, where the file names none.

# An online event's place, with its registration link.
tab-online-at = אונליין: { $link }
# An online event's place, without a link.
tab-online = אונליין
# An event whose file names no place yet.
tab-place-unknown = המיקום יפורסם בהמשך

## Slash-command replies.

# /next when no event is coming up.
reply-no-upcoming = אין עדיין אירועים קרובים.
# /next when no event of the group $group is coming up.
reply-no-upcoming-in-group = אין עדיין אירועים קרובים בקבוצה { $group }.
# /event when no event's title matches what the member typed ($query).
reply-no-event-match = אין אירוע שמתאים לחיפוש ״{ $query }״.
# /event when no event of the group $group matches $query.
reply-no-event-match-in-group = אין אירוע בקבוצה { $group } שמתאים לחיפוש ״{ $query }״.
# /talks when there is no event to show (no upcoming one, or none matches).
reply-no-such-event = האירוע לא נמצא.
# /talks for the group $group when there is no such event in it.
reply-no-such-event-in-group = האירוע לא נמצא בקבוצה { $group }.
# /talks for an event whose talks are not announced yet.
reply-no-talks-yet = עדיין לא פורסמו הרצאות.
# /speakers when no talk is by the speaker the member named ($name).
reply-no-talks-by = אין הרצאות של ״{ $name }״.
# /speakers when no talk of the group $group is by $name.
reply-no-talks-by-in-group = אין הרצאות של ״{ $name }״ בקבוצה { $group }.
# A command's group option names a group no event has; $groups lists the groups there are.
reply-unknown-group = אין אירועים בקבוצה { $group }; הקבוצות הקיימות: { $groups }.
# A command's group option names a group, but no event file has a group.
reply-no-groups = אין אירועים בקבוצה { $group }; אף קובץ אירוע לא מציין `group:`.
# A paging button of a group's list whose group has no events any more.
reply-group-gone = לקבוצה של הרשימה הזו כבר אין אירועים.
# A command used where several sites answer, without the site option: $sites lists them.
reply-choose-site = בשרת הזה יש כמה אתרים: { $sites }. בחרו אחד מהם באפשרות site.
# The site option names no site of this server: $site is what was typed, $sites the names.
reply-unknown-site = בשרת הזה אין אתר בשם { $site }. האתרים שלו: { $sites }.
# A command that failed for a reason of crier's own.
reply-failed = סליחה, משהו השתבש.
# The title of a list narrowed to one group: $title is the list's own title.
list-in-group = { $title } בקבוצה { $group }
# The title of the list of speakers (/speakers without a name).
list-speakers = המרצים באירועים הקרובים
# The title of /talks: the event's title.
list-talks = הרצאות: { $event }
# A list with nothing on this page.
list-nothing = אין מה להציג.
# The footer of a long list: which page this is.
list-page = עמוד { $page } מתוך { $pages }
# The button to the previous page of a list.
button-previous = הקודם
# The button to the next page of a list.
button-next = הבא

## Slash commands as members see them in Discord. A command's or an option's name is lower case,
## one word (letters, digits, - and _), at most 32 characters, and no two commands (or two options
## of one command) share one; a description is at most 100 characters.

# The /upcoming command.
command-upcoming = קרובים
    .description = האירועים הקרובים, מהקרוב ביותר
# The /next command.
command-next = הבא
    .description = האירוע הבא, עם כל הפרטים
# The /event command.
command-event = אירוע
    .description = אירוע אחד לפי השם שלו, עם כל הפרטים
# The /talks command.
command-talks = הרצאות
    .description = ההרצאות של אירוע, עם התקצירים וההקלטות
# The /speakers command.
command-speakers = מרצים
    .description = המרצים באירועים הקרובים, או ההרצאות של מרצה אחד
# The /crier command, for the server's managers.
command-crier = crier
    .description = הפקודות של crier עצמו
# The /crier status command.
command-crier-status = מצב
    .description = אירועים שנטענו, בעיות בקבצים, ההודעות הבאות
# The group option of every command.
option-group = קבוצה
    .description = רק האירועים של הקבוצה הזו (השדה group: בקובצי האירועים)
# The site option of every command, where a server has several sites ([[sites]]).
option-site = אתר
    .description = מאיזה מהאתרים (הקהילות) של השרת הזה לענות
# The count option of /upcoming.
option-count = כמות
    .description = כמה אירועים, 1 עד 10 (ברירת מחדל: כולם, 10 בכל עמוד)
# The name option of /event.
option-event-name = שם
    .description = שם האירוע
# The event option of /talks.
option-talks-event = אירוע
    .description = שם האירוע (ברירת מחדל: האירוע הבא)
# The name option of /speakers.
option-speaker-name = שם
    .description = שם של מרצה
