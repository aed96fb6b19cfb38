//! Session notes written like real ones: a shared part that names members
//! the way clinicians do (first name, preferred name, surname, full name,
//! in any case, with or without accents, and by @-mention), a section per
//! attending member with goal ratings and a risk rating, now and then a
//! fellow member named in a member's own section, and the odd addendum.
//! Redaction has to cope with all of it: that is the point.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use super::people::Person;
use super::rng::Rng;
use crate::groups::{GroupKind, NoteTemplate};
use crate::notes::redaction::mention_token;
use crate::notes::session_note::{GoalRatingInput, MemberNoteInput, RiskLevel, SectionText};

/// What a group works on: its note template, kind and the words its notes use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Theme {
    Dbt,
    Process,
    Recovery,
    Grief,
    Anxiety,
    Anger,
    Mindfulness,
    Trauma,
    Depression,
    RelapsePrevention,
}

struct Words {
    label: &'static str,
    modality: &'static str,
    topics: &'static [&'static str],
    skills: &'static [&'static str],
    homework: &'static [&'static str],
    goals: &'static [&'static str],
}

impl Theme {
    pub const ALL: [Theme; 10] = [
        Theme::Dbt,
        Theme::Process,
        Theme::Recovery,
        Theme::Grief,
        Theme::Anxiety,
        Theme::Anger,
        Theme::Mindfulness,
        Theme::Trauma,
        Theme::Depression,
        Theme::RelapsePrevention,
    ];

    pub fn kind(self) -> GroupKind {
        match self.cohort_length() {
            Some(_) => GroupKind::Closed,
            None => GroupKind::Rolling,
        }
    }

    /// Closed groups run cohorts of this many sessions.
    pub fn cohort_length(self) -> Option<u32> {
        match self {
            Theme::Dbt => Some(24),
            Theme::Grief => Some(10),
            Theme::Anxiety | Theme::Anger => Some(12),
            Theme::Trauma => Some(16),
            _ => None,
        }
    }

    /// Weeks between sessions.
    pub fn interval(self) -> u32 {
        match self {
            Theme::Mindfulness => 2,
            _ => 1,
        }
    }

    pub fn template(self) -> NoteTemplate {
        match self {
            Theme::Dbt | Theme::Anxiety | Theme::Depression => NoteTemplate::Girp,
            Theme::Process | Theme::Trauma => NoteTemplate::Soap,
            Theme::Grief | Theme::Mindfulness => NoteTemplate::Dap,
            Theme::Recovery | Theme::Anger | Theme::RelapsePrevention => NoteTemplate::Birp,
        }
    }

    pub fn substance_use(self) -> bool {
        matches!(self, Theme::Recovery | Theme::RelapsePrevention)
    }

    pub fn label(self) -> &'static str {
        self.words().label
    }

    pub fn modality(self) -> &'static str {
        self.words().modality
    }

    fn words(self) -> &'static Words {
        match self {
            Theme::Dbt => &DBT,
            Theme::Process => &PROCESS,
            Theme::Recovery => &RECOVERY,
            Theme::Grief => &GRIEF,
            Theme::Anxiety => &ANXIETY,
            Theme::Anger => &ANGER,
            Theme::Mindfulness => &MINDFULNESS,
            Theme::Trauma => &TRAUMA,
            Theme::Depression => &DEPRESSION,
            Theme::RelapsePrevention => &RELAPSE_PREVENTION,
        }
    }

    /// Treatment goals members of this group set.
    pub fn goals(self) -> &'static [&'static str] {
        self.words().goals
    }
}

const DBT: Words = Words {
    label: "DBT Skills",
    modality: "DBT skills training",
    topics: &[
        "Mindfulness: wise mind",
        "Mindfulness: observe, describe, participate",
        "Distress tolerance: the TIPP skills",
        "Distress tolerance: STOP and pros and cons",
        "Distress tolerance: radical acceptance",
        "Emotion regulation: check the facts",
        "Emotion regulation: opposite action",
        "Emotion regulation: the PLEASE skills",
        "Interpersonal effectiveness: DEAR MAN",
        "Interpersonal effectiveness: GIVE and FAST",
    ],
    skills: &[
        "wise mind",
        "TIPP",
        "the STOP skill",
        "radical acceptance",
        "check the facts",
        "opposite action",
        "DEAR MAN",
        "self-soothing with the five senses",
        "paced breathing",
    ],
    homework: &[
        "fill in the diary card every day",
        "write one DEAR MAN script for a real request",
        "use TIPP once when distress goes above 7",
        "notice and name three emotions a day",
    ],
    goals: &[
        "Use a distress-tolerance skill instead of self-harm when urges rise above 7 of 10.",
        "Fill in the diary card at least five days a week.",
        "Ask for what I need at work using DEAR MAN once a week.",
        "Notice and name emotions before acting on them.",
    ],
};

const PROCESS: Words = Words {
    label: "Process Group",
    modality: "Interpersonal process group",
    topics: &[
        "Belonging and feeling on the outside",
        "Giving and receiving feedback",
        "Trust in the room",
        "Conflict and repair",
        "Loneliness",
        "Endings and goodbyes",
        "Anger and how it shows",
        "Shame and being seen",
        "Family roles we bring into groups",
        "Asking for help",
    ],
    skills: &[
        "direct feedback",
        "staying with a feeling",
        "noticing the here and now",
        "asking for help",
        "repair after conflict",
        "speaking in the first person",
    ],
    homework: &[
        "notice one moment of wanting to withdraw and what happened next",
        "try one first-person statement with someone close",
    ],
    goals: &[
        "Speak up in group at least once each session.",
        "Notice and name when I withdraw from people.",
        "Tell someone when I feel hurt instead of going quiet.",
        "Build two relationships outside the group where I can be honest.",
    ],
};

const RECOVERY: Words = Words {
    label: "Recovery Group",
    modality: "Substance use recovery (CBT and motivational interviewing)",
    topics: &[
        "Triggers: people, places and things",
        "Cravings and urge surfing",
        "HALT: hungry, angry, lonely, tired",
        "Building a sober support network",
        "Lapse versus relapse",
        "Coping with boredom",
        "Repairing relationships",
        "Planning for high-risk weekends",
        "Motivation and ambivalence",
        "Self-care in early recovery",
    ],
    skills: &[
        "urge surfing",
        "HALT",
        "playing the tape forward",
        "the decisional balance",
        "calling a support person",
        "a trigger plan",
    ],
    homework: &[
        "log cravings with time, trigger and intensity",
        "call one support person before Friday",
        "write a plan for the weekend",
    ],
    goals: &[
        "Stay abstinent from alcohol, with support, one day at a time.",
        "Attend two mutual-help meetings a week.",
        "Use urge surfing before acting on a craving.",
        "Rebuild a daily routine: up by eight, regular meals, one activity.",
    ],
};

const GRIEF: Words = Words {
    label: "Grief and Loss",
    modality: "Grief and bereavement support",
    topics: &[
        "Telling the story of the loss",
        "Anniversaries and special days",
        "Guilt and what-ifs",
        "Continuing bonds",
        "The dual process of grieving",
        "Grief in the body",
        "Changes in identity after loss",
        "Support that helps and support that doesn't",
        "Memory objects",
        "Looking ahead without forgetting",
    ],
    skills: &[
        "moving between grief and restoration",
        "a memory ritual",
        "self-compassion",
        "writing a letter to the person who died",
        "planning for hard days",
    ],
    homework: &[
        "bring a photo or object that holds a memory",
        "write a letter to the person who died",
        "plan the anniversary day in advance",
    ],
    goals: &[
        "Get through the anniversary with a plan and people around me.",
        "Talk about the person who died with one friend each week.",
        "Return to one activity I gave up after the loss.",
    ],
};

const ANXIETY: Words = Words {
    label: "Anxiety Skills (CBT)",
    modality: "CBT for anxiety",
    topics: &[
        "The anxiety cycle",
        "Catching anxious thoughts",
        "Thinking traps",
        "Building an exposure ladder",
        "Worry time",
        "Safety behaviours",
        "Relaxation and breathing",
        "Tolerating uncertainty",
        "Relapse prevention planning",
        "Self-talk",
    ],
    skills: &[
        "the thought record",
        "the exposure ladder",
        "worry time",
        "paced breathing",
        "dropping safety behaviours",
        "decatastrophising",
    ],
    homework: &[
        "take one step up the exposure ladder, three times",
        "complete a thought record each day",
        "keep fifteen minutes of worry time, same time each day",
    ],
    goals: &[
        "Take the bus to work twice a week without leaving early.",
        "Reduce checking to once before leaving the house.",
        "Use a thought record when anxiety goes above 6 of 10.",
    ],
};

const ANGER: Words = Words {
    label: "Anger Management",
    modality: "Anger management (CBT)",
    topics: &[
        "The anger iceberg",
        "Early warning signs",
        "Time-out done well",
        "Thinking errors that fuel anger",
        "Assertive versus aggressive",
        "Anger at home",
        "Stress and sleep",
        "Repair after an outburst",
        "Triggers at work",
        "Keeping the gains",
    ],
    skills: &[
        "the time-out",
        "the anger thermometer",
        "assertive requests",
        "cognitive restructuring",
        "box breathing",
    ],
    homework: &[
        "log anger episodes with a rating from 0 to 10",
        "practise the time-out script at home",
        "make one assertive request this week",
    ],
    goals: &[
        "Take a time-out before shouting at home.",
        "Notice early warning signs at a 4 rather than an 8.",
        "Make one assertive request a week without raising my voice.",
    ],
};

const MINDFULNESS: Words = Words {
    label: "Mindfulness Practice",
    modality: "Mindfulness-based cognitive therapy",
    topics: &[
        "The body scan",
        "The breathing space",
        "Thoughts are not facts",
        "Mindful movement",
        "Turning towards difficulty",
        "Pleasant and unpleasant events",
        "Autopilot",
        "Kindness practice",
    ],
    skills: &[
        "the three-minute breathing space",
        "the body scan",
        "noting",
        "mindful walking",
        "the kindness practice",
    ],
    homework: &[
        "do a daily body scan with the recording",
        "take three breathing spaces a day",
        "do one routine activity mindfully",
    ],
    goals: &[
        "Practise mindfulness for ten minutes on five days a week.",
        "Use a breathing space when I notice rumination.",
    ],
};

const TRAUMA: Words = Words {
    label: "Trauma Recovery",
    modality: "Trauma-informed stabilisation (Seeking Safety)",
    topics: &[
        "Safety first",
        "Grounding",
        "Boundaries",
        "Recognising triggers",
        "Self-care after trauma",
        "Asking for help",
        "Healthy relationships",
        "Compassion",
        "Creating meaning",
        "Taking good care of yourself",
    ],
    skills: &[
        "grounding with the five senses",
        "a safe-place image",
        "setting a boundary",
        "the trigger plan",
        "self-compassion",
    ],
    homework: &[
        "ground three times a day, even when calm",
        "write one boundary and practise saying it",
        "update the safety plan",
    ],
    goals: &[
        "Use grounding when flashbacks start, instead of leaving the room.",
        "Sleep at least six hours most nights.",
        "Keep one safe relationship going with weekly contact.",
    ],
};

const DEPRESSION: Words = Words {
    label: "Mood and Activation",
    modality: "Behavioural activation",
    topics: &[
        "The activity cycle",
        "Activity scheduling",
        "Mastery and pleasure",
        "Breaking tasks down",
        "Values",
        "Avoidance and rumination",
        "Problem solving",
        "Sleep and routine",
        "Social contact",
        "Staying well",
    ],
    skills: &[
        "activity scheduling",
        "rating mastery and pleasure",
        "breaking tasks into steps",
        "values-based choices",
        "problem solving",
    ],
    homework: &[
        "schedule one pleasant and one mastery activity each day",
        "take one small step on a put-off task",
        "take a short walk outside every day",
    ],
    goals: &[
        "Get out of the house every day, even briefly.",
        "Schedule and do one enjoyable activity a day.",
        "Reconnect with one friend each week.",
    ],
};

const RELAPSE_PREVENTION: Words = Words {
    label: "Relapse Prevention",
    modality: "Relapse prevention (substance use)",
    topics: &[
        "Warning signs of relapse",
        "High-risk situations",
        "Managing cravings at work",
        "Building a balanced lifestyle",
        "Dealing with lapses",
        "Relationships in recovery",
        "Stress without substances",
        "Celebrations and holidays",
    ],
    skills: &[
        "the relapse-prevention plan",
        "urge surfing",
        "a lapse plan",
        "HALT",
        "refusal skills",
    ],
    homework: &[
        "update the relapse-prevention plan",
        "practise refusal skills with a partner",
        "list three high-risk situations and a plan for each",
    ],
    goals: &[
        "Stay in recovery through the holidays with a plan.",
        "Call my sponsor before acting on a craving.",
        "Keep a balanced week: work, rest, people, one hobby.",
    ],
};

// ---------------------------------------------------------------- sentences
//
// {A} {B} {C}: different attending members; {X}: a booked member who did
// not come; {S}: the member a section is about; {O}: another attending
// member; {skill}, {homework}: from the group's theme.

const OPENERS: &[&str] = &[
    "Check-in round first: most members rated their week between 4 and 6 out of 10.",
    "{A} asked to return to {skill} from last week, and the group agreed to start there.",
    "Homework review opened the session; {A} and {B} had practised on most days.",
    "The group began with a two-minute settling exercise led by {A}.",
    "{A} brought a question from the week that set the theme for the session.",
    "Everyone arrived within a few minutes of the start, and the check-in was brief.",
];

const INTERVENTIONS: &[&str] = &[
    "Psychoeducation on {skill} with the handout, then a worked example from an ordinary week.",
    "{A} volunteered to role-play {skill} with the co-facilitator; {B} and {C} gave feedback on what worked.",
    "Practice in threes, then a debrief in the full circle.",
    "Socratic questioning to draw out the link between thoughts, feelings and urges, using an example {A} offered.",
    "Paced breathing (four seconds in, six out) for three minutes before the teaching segment.",
    "Whiteboard chain analysis of a recent difficult moment, with {A}'s permission to use their example.",
    "Homework set: {homework}.",
    "Short video on {skill}, followed by discussion of where it would and would not fit members' lives.",
    "Validation and reflective listening throughout; the pace slowed when {A} became tearful.",
    "Worksheet on {skill} completed in pairs; {A} and {B} read theirs aloud.",
];

const PROCESS_NOTES: &[&str] = &[
    "Cohesion was good; {A} and {B} gave each other specific, kind feedback.",
    "{A} was quieter than usual and said it had been a hard week; {B} checked in with them at the break.",
    "Some tension when {A} disagreed with {B} about how realistic the homework was; the facilitator named it and the group worked it through.",
    "Laughter near the end lightened the room; {A} thanked the group for listening.",
    "Members are starting to challenge each other gently: {A} noticed {B} minimising and said so with care.",
    "The group stayed on task, though energy dipped after the break.",
    "A long silence after {A} shared; the facilitator let it sit, and {B} eventually answered with their own experience.",
    "The group revisited its agreement on confidentiality after {A} asked about it.",
    "Trust seems to be growing: {A} disclosed something they had not shared before, and {C} thanked them for it.",
];

const ABSENT: &[&str] = &[
    "{X} sent apologies.",
    "{X} was missed; the facilitator will call them this week.",
];

fn bank(key: &str) -> &'static [&'static str] {
    match key {
        "participation" => &[
            "{S} arrived on time and took part in every exercise.",
            "Engaged throughout; offered two examples from the week without being asked.",
            "Quiet in the first half, more talkative after the break, and volunteered for the practice round.",
            "Paired with {O} for the practice and stayed on task.",
            "Listened closely and asked one question about {skill}.",
            "Gave {O} supportive feedback after their role-play.",
            "Needed a reminder to put the phone away; after that, fully engaged.",
            "Shared a personal example of {skill} at home and invited feedback.",
        ],
        "response" => &[
            "Responded well to {skill} and could name the steps without the handout.",
            "Found {skill} harder than expected and said so, which the group valued.",
            "Tried {skill} in the room and reported distress dropping from 7 to 4 out of 10.",
            "Sceptical at first, but engaged once the example was close to their own situation.",
            "Took notes and asked for the handout to share with their partner.",
            "Became tearful when describing the week; used paced breathing and was able to continue.",
            "Connected {skill} to the goal they set at intake.",
        ],
        "plan" => &[
            "Practise {skill} daily and note it on the worksheet.",
            "Homework: {homework}.",
            "Review progress on their goals at the next session.",
            "Continue weekly attendance; check in with their individual clinician about sleep.",
            "Bring one example of using {skill} to the next group.",
            "Agreed to a smaller step this week after last week's homework felt like too much.",
        ],
        "subjective" => &[
            "Reported the week as up and down, with better sleep since the weekend.",
            "Said: \"I used it twice and it helped once, which is more than before.\"",
            "Described more arguments at home and feeling on edge most evenings.",
            "Reported fewer urges this week and credited the group's support.",
            "Said they nearly did not come but were glad they did.",
            "Described a difficult date coming up and worry about getting through it.",
        ],
        "objective" => &[
            "Affect bright; speech normal in rate and volume; good eye contact.",
            "Appeared tired, with slumped posture at first, more animated later.",
            "Fidgeting during the role-play with {O}, settled afterwards.",
            "Dressed appropriately, on time, alert and oriented.",
            "Tearful at one point and recovered without prompting.",
        ],
        "assessment" => &[
            "Making steady progress; {skill} is becoming a habit rather than an effort.",
            "Still struggling to use {skill} under stress, but more willing to try.",
            "Engagement has improved since the first sessions; motivation appears good.",
            "Mood lower than last week, likely linked to the stressors described; no new risk.",
            "Insight is growing: {S} named their own pattern before the facilitator did.",
        ],
        "data" => &[
            "Reported the week as mixed; used {skill} once, at work, with some success.",
            "Attended on time and took part in the check-in and both exercises.",
            "Said sleep has improved and that mornings feel more manageable.",
            "Shared that a family conflict flared up; stayed engaged despite that.",
            "Spoke about the session's theme more openly than before, and responded to {O}'s question.",
        ],
        "behaviour" => &[
            "Arrived on time, calm, and settled quickly.",
            "Restless at first, then engaged once the practice began.",
            "Presented with low mood and flat affect; took part when invited.",
            "Reported two good days and one difficult one, which they discussed openly.",
            "Animated and talkative; occasionally talked over {O} and accepted a prompt to pause.",
        ],
        _ => &[
            "Took part in the session.",
            "Engaged with the material on {skill}.",
            "No concerns raised.",
        ],
    }
}

const GOAL_COMMENTS: &[&str] = &[
    "Used {skill} on three days this week.",
    "Rated their own progress as steady; wants to keep going.",
    "No change this week; agreed a smaller step.",
    "Clear progress: did it without prompting.",
    "A setback midweek, talked through in group.",
];

const SHARED_ADDENDA: &[&str] = &[
    "Late entry: {A} phoned the next morning to say the exercise had helped over the weekend.",
    "Correction: the handout used was on {skill}, not the one recorded above.",
    "Late entry: the group agreed to move next week's check-in to the start, at {A}'s suggestion.",
];

const MEMBER_ADDENDA: &[&str] = &[
    "Late entry: {S} emailed to say they will miss next week because of a family commitment.",
    "Clarification: the risk discussion above was reviewed with the supervisor the same day; no change to the plan.",
    "Late entry: {S} called the practice to ask for the handout on {skill}; sent by post.",
];

/// A member of the session as the writer sees them.
pub(crate) struct Attendee<'a> {
    pub client_id: i64,
    pub person: &'a Person,
    pub attended: bool,
}

/// A name without its accents ("Zoë" → "Zoe", "Nguyễn" → "Nguyen"): how
/// people often type it.
fn without_accents(text: &str) -> String {
    text.nfd().filter(|c| !is_combining_mark(*c)).collect()
}

/// How a note refers to a member, as clinicians write: an @-mention, or a
/// name in one of its forms.
fn reference(rng: &mut Rng, a: &Attendee<'_>) -> String {
    let p = a.person;
    match rng.weighted(&[30, 22, 5, 3, 8, 8, 10, 5, 3]) {
        0 => mention_token(a.client_id),
        1 => p.called().to_owned(),
        2 => p.called().to_lowercase(),
        3 => p.called().to_uppercase(),
        4 => without_accents(p.called()),
        5 => p.last.clone(),
        6 => p.everyday(),
        7 => p.first.clone(),
        _ => p.legal(),
    }
}

/// Fills a sentence's placeholders. `refs` names A, B, C (and X, S, O).
fn fill(rng: &mut Rng, sentence: &str, words: &Words, refs: &[(char, &Attendee<'_>)]) -> String {
    let mut out = String::with_capacity(sentence.len() + 32);
    let mut rest = sentence;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        let key = &rest[open + 1..open + close];
        match key {
            "skill" => out.push_str(rng_pick(rng, words.skills)),
            "homework" => out.push_str(rng_pick(rng, words.homework)),
            _ => {
                let letter = key.chars().next().unwrap_or('A');
                match refs.iter().find(|(l, _)| *l == letter) {
                    Some((_, a)) => out.push_str(&reference(rng, a)),
                    None => out.push_str("a member"),
                }
            }
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    out
}

/// How many different members a sentence names.
fn needs(sentence: &str) -> usize {
    ["{A}", "{B}", "{C}"]
        .iter()
        .filter(|p| sentence.contains(*p))
        .count()
}

/// `n` different sentences of `bank` that name at most `members` members.
fn sentences(rng: &mut Rng, bank: &[&'static str], n: usize, members: usize) -> Vec<&'static str> {
    let fitting: Vec<&'static str> = bank
        .iter()
        .copied()
        .filter(|s| needs(s) <= members && (members > 0 || !s.contains("{O}")))
        .collect();
    // In the bank's order, which is the order a clinician would write them.
    let mut picked = rng.sample(fitting.len(), n);
    picked.sort_unstable();
    picked.into_iter().map(|i| fitting[i]).collect()
}

fn section(key: &str, body: String) -> SectionText {
    SectionText {
        key: key.to_owned(),
        body,
    }
}

/// The shared part: topic, interventions, group process. `seq` moves the
/// topic along from one session to the next.
pub(crate) fn shared(
    rng: &mut Rng,
    theme: Theme,
    seq: usize,
    members: &[Attendee<'_>],
) -> Vec<SectionText> {
    let words = theme.words();
    let present: Vec<&Attendee<'_>> = members.iter().filter(|m| m.attended).collect();
    let absent: Vec<&Attendee<'_>> = members.iter().filter(|m| !m.attended).collect();
    let cast = |rng: &mut Rng| -> Vec<(char, &Attendee<'_>)> {
        let picks = rng.sample(present.len(), 3);
        let mut refs: Vec<(char, &Attendee<'_>)> = ['A', 'B', 'C']
            .into_iter()
            .zip(picks.into_iter().map(|i| present[i]))
            .collect();
        if !absent.is_empty() {
            refs.push(('X', absent[rng.below(absent.len())]));
        }
        refs
    };
    let n = present.len();
    let mut topic = format!("{}.", words.topics[seq % words.topics.len()]);
    for s in sentences(rng, OPENERS, 1, n) {
        let refs = cast(rng);
        topic.push(' ');
        topic.push_str(&fill(rng, s, words, &refs));
    }
    if !absent.is_empty() && rng.chance(0.5) {
        let refs = cast(rng);
        let s = rng_pick(rng, ABSENT);
        topic.push(' ');
        topic.push_str(&fill(rng, s, words, &refs));
    }
    let body = |rng: &mut Rng, bank: &[&'static str], count: usize| -> String {
        sentences(rng, bank, count, n)
            .into_iter()
            .map(|s| {
                let refs = cast(rng);
                fill(rng, s, words, &refs)
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    let interventions_count = 2 + rng.below(2);
    let interventions = body(rng, INTERVENTIONS, interventions_count);
    let process_count = 2 + rng.below(2);
    let process = body(rng, PROCESS_NOTES, process_count);
    vec![
        section("topic", topic),
        section("interventions", interventions),
        section("process", process),
    ]
}

fn rng_pick(rng: &mut Rng, items: &[&'static str]) -> &'static str {
    items[rng.below(items.len())]
}

/// One attending member's section: each of the template's member sections,
/// a rating (usually) and a comment (often) for each goal, and a risk level.
pub(crate) fn member(
    rng: &mut Rng,
    theme: Theme,
    keys: &[String],
    me: &Attendee<'_>,
    others: &[&Attendee<'_>],
    goals: &[(i64, u8)],
) -> MemberNoteInput {
    let words = theme.words();
    let cast = |rng: &mut Rng| -> Vec<(char, &Attendee<'_>)> {
        let mut refs = vec![('S', me)];
        if !others.is_empty() {
            refs.push(('O', others[rng.below(others.len())]));
        }
        refs
    };
    let sections = keys
        .iter()
        .map(|key| {
            let count = 3 + rng.below(2);
            let body = sentences(rng, bank(key), count, others.len())
                .into_iter()
                .map(|s| {
                    let refs = cast(rng);
                    fill(rng, s, words, &refs)
                })
                .collect::<Vec<_>>()
                .join(" ");
            section(key, body)
        })
        .collect();
    let goal_ratings = goals
        .iter()
        .map(|&(goal_id, level)| {
            let rating = (!rng.chance(0.1)).then_some(level);
            let comment = if rng.chance(0.7) {
                let refs = cast(rng);
                let s = rng_pick(rng, GOAL_COMMENTS);
                fill(rng, s, words, &refs)
            } else {
                String::new()
            };
            GoalRatingInput {
                goal_id,
                rating,
                comment,
            }
        })
        .collect();
    let (risk_level, risk_text) = match rng.weighted(&[900, 80, 17, 3]) {
        0 => (RiskLevel::None, String::new()),
        1 => (
            RiskLevel::Low,
            "Mentioned low mood over the weekend; denied thoughts of self-harm. Safety plan reviewed briefly.".to_owned(),
        ),
        2 => (
            RiskLevel::Moderate,
            "Reported passive thoughts of not wanting to wake up, with no plan or intent. Safety plan updated, crisis numbers given, individual clinician informed the same day.".to_owned(),
        ),
        _ => (
            RiskLevel::High,
            "Disclosed a plan to harm themselves after the session. Stayed with the facilitator; crisis team contacted and a safety plan agreed before leaving; supervisor informed.".to_owned(),
        ),
    };
    MemberNoteInput {
        client_id: me.client_id,
        sections,
        goal_ratings,
        risk_level: Some(risk_level),
        risk_text,
    }
}

/// An addendum to the shared part (`about` None) or to one member's section.
pub(crate) fn addendum(
    rng: &mut Rng,
    theme: Theme,
    about: Option<&Attendee<'_>>,
    present: &[&Attendee<'_>],
) -> String {
    let words = theme.words();
    match about {
        Some(me) => {
            let s = rng_pick(rng, MEMBER_ADDENDA);
            fill(rng, s, words, &[('S', me)])
        }
        None => {
            let s = rng_pick(rng, SHARED_ADDENDA);
            let refs: Vec<(char, &Attendee<'_>)> =
                present.first().map(|a| ('A', *a)).into_iter().collect();
            fill(rng, s, words, &refs)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::people::{clients, folded_words};
    use crate::names::fold;

    fn people() -> Vec<Person> {
        clients(
            &mut Rng::new(11),
            12,
            chrono::NaiveDate::from_ymd_opt(2026, 3, 10).unwrap(),
        )
    }

    fn attendees(people: &[Person]) -> Vec<Attendee<'_>> {
        people
            .iter()
            .enumerate()
            .map(|(i, person)| Attendee {
                client_id: i as i64 + 1,
                person,
                attended: i % 5 != 4,
            })
            .collect()
    }

    #[test]
    fn a_name_written_any_way_folds_to_the_name() {
        for p in people() {
            let called = fold(p.called());
            for form in [
                p.called().to_lowercase(),
                p.called().to_uppercase(),
                without_accents(p.called()),
            ] {
                assert_eq!(fold(&form), called, "{form}");
            }
        }
    }

    #[test]
    fn shared_parts_name_members_by_mention_and_in_free_text() {
        let people = people();
        let members = attendees(&people);
        let mut rng = Rng::new(2);
        let (mut mentions, mut free) = (0, 0);
        for seq in 0..40 {
            let parts = shared(&mut rng, Theme::Dbt, seq, &members);
            assert_eq!(parts.len(), 3);
            let text: String = parts.iter().map(|s| s.body.as_str()).collect();
            assert!(!text.contains('{'), "{text}");
            mentions += crate::notes::redaction::mentions(&text).len();
            free += members
                .iter()
                .filter(|m| {
                    let words = folded_words(&text);
                    m.person.words().iter().any(|w| words.contains(w))
                })
                .count();
        }
        assert!(
            mentions > 20 && free > 20,
            "{mentions} mentions, {free} names"
        );
    }

    #[test]
    fn a_member_section_is_about_a_kilobyte_with_a_rating_per_goal() {
        let people = people();
        let members = attendees(&people);
        let others: Vec<&Attendee<'_>> = members[1..].iter().collect();
        let keys: Vec<String> = ["participation", "response", "plan"]
            .map(String::from)
            .to_vec();
        let mut rng = Rng::new(3);
        let mut total = 0;
        for _ in 0..50 {
            let m = member(
                &mut rng,
                Theme::Recovery,
                &keys,
                &members[0],
                &others,
                &[(7, 3), (8, 2)],
            );
            assert_eq!(m.sections.len(), 3);
            assert_eq!(m.goal_ratings.len(), 2);
            assert!(m.risk_level.is_some());
            total += m.sections.iter().map(|s| s.body.len()).sum::<usize>()
                + m.goal_ratings
                    .iter()
                    .map(|g| g.comment.len())
                    .sum::<usize>()
                + m.risk_text.len();
        }
        let average = total / 50;
        assert!((700..1400).contains(&average), "{average} bytes");
    }

    /// No word of any note sentence is a name word from the pools, so
    /// redacting a member's name never blanks out ordinary words.
    #[test]
    fn the_sentences_never_contain_a_name_by_accident() {
        let names: std::collections::BTreeSet<String> = clients(
            &mut Rng::new(1),
            3000,
            chrono::NaiveDate::from_ymd_opt(2026, 3, 10).unwrap(),
        )
        .iter()
        .flat_map(Person::words)
        .collect();
        let mut text = String::new();
        for bank_text in [
            OPENERS,
            INTERVENTIONS,
            PROCESS_NOTES,
            ABSENT,
            GOAL_COMMENTS,
            SHARED_ADDENDA,
            MEMBER_ADDENDA,
        ] {
            text.push_str(&bank_text.join(" "));
        }
        for key in [
            "participation",
            "response",
            "plan",
            "subjective",
            "objective",
            "assessment",
            "data",
            "behaviour",
            "other",
        ] {
            text.push_str(&bank(key).join(" "));
        }
        for theme in Theme::ALL {
            let w = theme.words();
            for list in [w.topics, w.skills, w.homework, w.goals] {
                text.push_str(&list.join(" "));
            }
            text.push_str(w.label);
            text.push_str(w.modality);
        }
        let clashes: Vec<String> = folded_words(&text)
            .into_iter()
            .filter(|w| names.contains(w))
            .collect();
        assert!(clashes.is_empty(), "{clashes:?}");
    }
}
