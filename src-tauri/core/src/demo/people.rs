//! The demo practice's people: clients named in several scripts, staff, and
//! the passphrases the generator chooses for them.
//!
//! Client names come from five pools (Latin letters with diacritics,
//! Vietnamese, Chinese characters, Arabic and Hebrew script, plus Arabic and
//! Hebrew names written in Latin letters), some with a preferred name, some
//! with a middle name, Vietnamese and Chinese names written family name
//! first. None of the names is an everyday English word, so the redaction of
//! one member's name never blanks out ordinary words in another's record.

use std::collections::{BTreeSet, HashSet};

use chrono::{Duration, NaiveDate};

use super::rng::Rng;
use crate::clients::{ClientInput, ClientStatus};
use crate::names::{everyday_name, fold, full_name, NameOrder};
use crate::roles::Role;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Script {
    Latin,
    Vietnamese,
    Chinese,
    Arabic,
    Hebrew,
}

/// Given names with the preferred name some people go by.
const LATIN_GIVEN: &[(&str, Option<&str>)] = &[
    ("Zoë", None),
    ("Inés", None),
    ("Chloé", None),
    ("Renée", None),
    ("Anaïs", None),
    ("Małgorzata", Some("Gosia")),
    ("Agnieszka", None),
    ("Siobhán", None),
    ("Aoife", None),
    ("Dagný", None),
    ("Ingrid", None),
    ("Margarida", Some("Guida")),
    ("Léa", None),
    ("Mònica", None),
    ("Elif", None),
    ("Gülşen", None),
    ("Ayşe", None),
    ("Paulina", None),
    ("Ottilie", Some("Tilly")),
    ("Imogen", Some("Immy")),
    ("Maëlle", None),
    ("Jolanta", None),
    ("Katarzyna", Some("Kasia")),
    ("Brígida", None),
    ("Solveig", None),
    ("Ximena", None),
    ("Eulalia", None),
    ("Henrike", None),
    ("José", None),
    ("Tomás", None),
    ("Łukasz", None),
    ("Søren", None),
    ("Björn", None),
    ("François", None),
    ("Joaquín", Some("Quino")),
    ("Jürgen", None),
    ("Ólafur", Some("Óli")),
    ("Seán", None),
    ("Jiří", Some("Jirka")),
    ("Zdeněk", None),
    ("Emre", None),
    ("Çağan", None),
    ("Mathéo", None),
    ("Raúl", None),
    ("Andrés", None),
    ("Tobias", Some("Toby")),
    ("Dmitrij", None),
    ("Mateus", None),
    ("Gaspard", None),
    ("Piotr", None),
    ("Ruairí", None),
    ("Benoît", None),
    ("Håkon", None),
    ("Édouard", Some("Eddie")),
    ("Robert", Some("Bobby")),
    ("Kofi", None),
    ("Leopold", Some("Leo")),
    ("Ignacy", None),
];

const LATIN_FAMILY: &[&str] = &[
    "Álvarez",
    "Müller",
    "Kowalczyk",
    "O’Brien",
    "Núñez",
    "Lindqvist",
    "Sørensen",
    "Dvořák",
    "Łukaszewicz",
    "Şahin",
    "Ferreira",
    "García",
    "Gómez-Ruiz",
    "Whitfield",
    "Okafor",
    "Adeyemi",
    "Ångström",
    "Castellanos",
    "Mäkinen",
    "Novák",
    "Brennan",
    "Delacroix",
    "Fernández",
    "Høiland",
    "Kovačević",
    "Lefèvre",
    "Magnússon",
    "Petrović",
    "Quiñones",
    "Rønning",
    "Schäfer",
    "Teixeira",
    "Urquhart",
    "Villeneuve",
    "Wójcik",
    "Yılmaz",
    "Zieliński",
    "Bergström",
    "Achterberg",
    "Mac Giolla Phádraig",
    "Hoffmann",
    "Jovanović",
    "Ilunga",
    "Ekström",
];

const VIETNAMESE_FAMILY: &[&str] = &[
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Ngô",
    "Dương", "Lý", "Trịnh", "Đinh", "Lâm", "Tạ", "Quách", "Châu",
];
const VIETNAMESE_MIDDLE: &[&str] = &[
    "Thị", "Văn", "Ngọc", "Đức", "Thanh", "Hữu", "Quốc", "Xuân", "Gia", "Bích",
];
const VIETNAMESE_GIVEN: &[&str] = &[
    "Minh", "Anh", "Hương", "Lan", "Thảo", "Tuấn", "Dũng", "Hải", "Linh", "Phương", "Quân",
    "Trang", "Khánh", "Nhung", "Việt", "Huy", "Thư", "Bảo", "Hạnh", "Duy", "Tâm", "Yến", "Khoa",
    "Hiếu", "Vy",
];

const CHINESE_FAMILY: &[&str] = &[
    "王", "李", "陈", "张", "刘", "杨", "黄", "赵", "吴", "周", "徐", "马", "朱", "胡", "郭", "高",
    "林", "罗",
];
const CHINESE_GIVEN: &[&str] = &[
    "小明", "伟", "芳", "静", "秀英", "建华", "婷婷", "志强", "海燕", "晓东", "嘉怡", "子轩",
    "欣怡", "浩然", "雨涵", "明", "磊", "涛",
];

/// English names some Vietnamese and Chinese clients go by.
const ADOPTED: &[&str] = &[
    "Kevin", "Vivian", "Tony", "Lily", "Jenny", "Henry", "Eric", "Amy", "Jason", "Cindy", "Ivy",
    "Winnie",
];

const ARABIC_GIVEN: &[&str] = &[
    "ليلى",
    "محمد",
    "فاطمة",
    "يوسف",
    "عمر",
    "نور",
    "سلمى",
    "خالد",
    "مريم",
    "حسن",
    "رنا",
    "كريم",
    "زينب",
    "يعقوب",
];
const ARABIC_FAMILY: &[&str] = &[
    "العلي",
    "الحسيني",
    "منصور",
    "حداد",
    "خوري",
    "سعيد",
    "عبدالله",
];
const ARABIC_LATIN_GIVEN: &[&str] = &[
    "Yasmin", "Tariq", "Rania", "Karim", "Hoda", "Samir", "Leila", "Bilal", "Dalia", "Nabil",
];
const ARABIC_LATIN_FAMILY: &[&str] = &[
    "Haddad", "Khoury", "Al-Masri", "Saeed", "Nasser", "Barakat", "Aziz", "El-Amin",
];

const HEBREW_GIVEN: &[&str] = &[
    "דוד",
    "תמר",
    "רחל",
    "מיכל",
    "שירה",
    "אורי",
    "נועה",
    "איתי",
    "עומר",
    "אברהם",
];
const HEBREW_FAMILY: &[&str] = &["כהן", "לוי", "מזרחי", "פרץ", "ביטון", "גולדברג", "שפירא"];
const HEBREW_LATIN_GIVEN: &[&str] = &[
    "Yael", "Avi", "Noa", "Eitan", "Tamar", "Yonatan", "Shira", "Ronit",
];
const HEBREW_LATIN_FAMILY: &[&str] = &["Mizrahi", "Peretz", "Ben-David", "Friedman", "Katz"];

const PRONOUNS: &[&str] = &["she/her", "he/him", "they/them"];

/// A client as the generator plans them. Not PHI (invented), but `Debug`
/// prints no name anyway, like the real types.
#[derive(Clone)]
pub(crate) struct Person {
    pub first: String,
    pub middle: Option<String>,
    pub last: String,
    pub preferred: Option<String>,
    pub order: NameOrder,
    pub script: Script,
    pub pronouns: &'static str,
    pub date_of_birth: NaiveDate,
    pub phone: String,
    pub email: Option<String>,
    pub emergency_name: String,
    pub emergency_phone: String,
}

impl std::fmt::Debug for Person {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Person({:?})", self.script)
    }
}

impl Person {
    /// The name the practice calls them by.
    pub fn called(&self) -> &str {
        self.preferred.as_deref().unwrap_or(&self.first)
    }

    pub fn everyday(&self) -> String {
        everyday_name(self.called(), &self.last, self.order)
    }

    pub fn legal(&self) -> String {
        full_name(&self.first, self.middle.as_deref(), &self.last, self.order)
    }

    /// Every folded word of two letters or more of every name field: two
    /// members of one session never share one, so each record redacts
    /// exactly the others (redaction ignores one-letter name parts).
    pub fn words(&self) -> BTreeSet<String> {
        [
            Some(self.first.as_str()),
            self.middle.as_deref(),
            Some(self.last.as_str()),
            self.preferred.as_deref(),
        ]
        .into_iter()
        .flatten()
        .flat_map(folded_words)
        .collect()
    }

    pub fn input(&self) -> ClientInput {
        ClientInput {
            legal_first_name: self.first.clone(),
            middle_name: self.middle.clone(),
            legal_last_name: self.last.clone(),
            preferred_name: self.preferred.clone(),
            name_order: self.order,
            pronouns: Some(self.pronouns.to_owned()),
            date_of_birth: Some(self.date_of_birth.to_string()),
            phone: Some(self.phone.clone()),
            email: self.email.clone(),
            emergency_name: Some(self.emergency_name.clone()),
            emergency_phone: Some(self.emergency_phone.clone()),
            status: ClientStatus::Prospect,
        }
    }
}

/// Folded words of two letters or more, as redaction and its tests compare.
pub(crate) fn folded_words(text: &str) -> Vec<String> {
    fold(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() > 1)
        .map(str::to_owned)
        .collect()
}

fn uk_mobile(rng: &mut Rng) -> String {
    // 07700 900000–900999 is set aside by Ofcom for drama: never a real number.
    format!("07700 900{:03}", rng.below(1000))
}

fn ascii_letters(text: &str) -> String {
    fold(text)
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect()
}

/// One new client, `today` fixing their age.
fn person(rng: &mut Rng, today: NaiveDate) -> Person {
    let script = match rng.weighted(&[50, 15, 13, 12, 10]) {
        0 => Script::Latin,
        1 => Script::Vietnamese,
        2 => Script::Chinese,
        3 => Script::Arabic,
        _ => Script::Hebrew,
    };
    let mut middle = None;
    let mut preferred = None;
    let mut order = NameOrder::GivenFirst;
    let (first, last) = match script {
        Script::Latin => {
            let (given, goes_by) = *rng.pick(LATIN_GIVEN);
            preferred = goes_by.filter(|_| rng.chance(0.7));
            (given, *rng.pick(LATIN_FAMILY))
        }
        Script::Vietnamese => {
            order = NameOrder::FamilyFirst;
            if rng.chance(0.6) {
                middle = Some(*rng.pick(VIETNAMESE_MIDDLE));
            }
            if rng.chance(0.2) {
                preferred = Some(*rng.pick(ADOPTED));
            }
            (*rng.pick(VIETNAMESE_GIVEN), *rng.pick(VIETNAMESE_FAMILY))
        }
        Script::Chinese => {
            order = NameOrder::FamilyFirst;
            if rng.chance(0.35) {
                preferred = Some(*rng.pick(ADOPTED));
            }
            (*rng.pick(CHINESE_GIVEN), *rng.pick(CHINESE_FAMILY))
        }
        Script::Arabic => {
            if rng.chance(0.5) {
                (*rng.pick(ARABIC_GIVEN), *rng.pick(ARABIC_FAMILY))
            } else {
                (
                    *rng.pick(ARABIC_LATIN_GIVEN),
                    *rng.pick(ARABIC_LATIN_FAMILY),
                )
            }
        }
        Script::Hebrew => {
            if rng.chance(0.5) {
                (*rng.pick(HEBREW_GIVEN), *rng.pick(HEBREW_FAMILY))
            } else {
                (
                    *rng.pick(HEBREW_LATIN_GIVEN),
                    *rng.pick(HEBREW_LATIN_FAMILY),
                )
            }
        }
    };
    let age_days = rng.between(19 * 365, 72 * 365);
    let local = ascii_letters(preferred.unwrap_or(first));
    let domain = ascii_letters(last);
    let email = (!local.is_empty() && !domain.is_empty() && rng.chance(0.8))
        .then(|| format!("{local}.{domain}@example.org"));
    let (contact_given, _) = *rng.pick(LATIN_GIVEN);
    Person {
        first: first.to_owned(),
        middle: middle.map(str::to_owned),
        last: last.to_owned(),
        preferred: preferred.map(str::to_owned),
        order,
        script,
        pronouns: PRONOUNS[rng.below(PRONOUNS.len())],
        date_of_birth: today - Duration::days(age_days),
        phone: uk_mobile(rng),
        email,
        emergency_name: format!("{contact_given} {last}"),
        emergency_phone: uk_mobile(rng),
    }
}

/// `n` clients, no two with the same legal name while the pools allow it.
pub(crate) fn clients(rng: &mut Rng, n: usize, today: NaiveDate) -> Vec<Person> {
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        let mut p = person(rng, today);
        for _ in 0..20 {
            if !seen.contains(&p.legal()) {
                break;
            }
            p = person(rng, today);
        }
        seen.insert(p.legal());
        out.push(p);
    }
    out
}

// ---------------------------------------------------------------- staff

const STAFF_NAMES: &[&str] = &[
    "Amara Nwosu",
    "Daniel Ferreira",
    "Hannah Goldberg",
    "Kenji Watanabe",
    "Leila Haddad",
    "Marcus Bell",
    "Nadia Petrova",
    "Oliver Grant",
    "Priya Raman",
    "Rafael Ortiz",
    "Sofia Marin",
    "Tomasz Nowak",
    "Uma Desai",
    "Victor Lindgren",
    "Wen Li",
    "Yara Saleh",
    "Zara Ahmed",
    "Bianca Rossi",
    "Callum Reid",
    "Esther Mensah",
    "Farid Karimi",
    "Grace Ito",
    "Isak Berg",
    "Julia Weiss",
    "Kwame Asante",
    "Laura Stein",
    "Mateo Cruz",
    "Nina Kovacs",
    "Omar Farouk",
    "Paula Duarte",
    "Quentin Moreau",
    "Rosa Jimenez",
];

/// Words for passphrases: common, unrelated, none a name.
const PASSPHRASE_WORDS: &[&str] = &[
    "amber", "anchor", "birch", "canyon", "cedar", "cobalt", "comet", "copper", "coral", "cricket",
    "dune", "ember", "fern", "fjord", "flint", "garnet", "glacier", "granite", "harbor", "hazel",
    "heron", "indigo", "jasper", "juniper", "kestrel", "lagoon", "lantern", "lichen", "maple",
    "marble", "meadow", "mesa", "moss", "nectar", "nutmeg", "oasis", "onyx", "orchard", "osprey",
    "otter", "pebble", "pepper", "pine", "plume", "prairie", "quartz", "quill", "raven", "reef",
    "ridge", "river", "saffron", "sage", "sequoia", "slate", "sparrow", "spruce", "summit",
    "tamarind", "thistle", "thunder", "tide", "timber", "topaz", "tundra", "umber", "valley",
    "velvet", "walnut", "willow", "wren", "yarrow", "zephyr", "basalt", "bramble", "cinder",
    "clover", "delta", "drizzle", "falcon", "fennel", "galaxy", "geyser", "hollow", "ivory",
    "kelp", "larch", "lotus", "magpie", "mango", "marsh", "nimbus", "opal", "orbit", "paprika",
    "parsley", "pollen", "puffin", "quiver", "rhubarb", "sable", "sorrel", "spindle", "sprocket",
    "tango", "thimble", "toucan", "tulip", "vapor", "vortex", "whistle", "yonder", "zenith",
];

/// A staff login as planned: the passphrase the administrator gives them
/// and the one they choose at their first sign-in (the one shown later).
#[derive(Clone)]
pub(crate) struct StaffPlan {
    pub username: String,
    pub full_name: String,
    pub role: Role,
    pub assigned: String,
    pub chosen: String,
}

impl std::fmt::Debug for StaffPlan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "StaffPlan({}, {:?})", self.username, self.role)
    }
}

/// Four random words, accepted by Circle's passphrase policy (drawn again
/// in the unlikely case zxcvbn finds them guessable).
pub(crate) fn passphrase(rng: &mut Rng, context: &[&str]) -> String {
    loop {
        let words: Vec<&str> = (0..4).map(|_| *rng.pick(PASSPHRASE_WORDS)).collect();
        let text = words.join(" ");
        let candidate = crate::vault::secret::Passphrase::new(text.clone());
        if crate::passphrase_policy::check("passphrase", &candidate, context).is_ok() {
            return text;
        }
    }
}

/// The staff: the owner first, then `roles` in order, each with a distinct
/// name and username.
pub(crate) fn staff(rng: &mut Rng, roles: &[Role]) -> Vec<StaffPlan> {
    let order = rng.sample(STAFF_NAMES.len(), STAFF_NAMES.len());
    let mut taken = HashSet::new();
    std::iter::once(Role::Owner)
        .chain(roles.iter().copied())
        .enumerate()
        .map(|(i, role)| {
            let full_name = STAFF_NAMES[order[i % order.len()]].to_owned();
            let mut username: String = full_name
                .split_whitespace()
                .next()
                .unwrap_or("staff")
                .to_lowercase();
            if !taken.insert(username.clone()) {
                username = format!("{username}{i}");
                taken.insert(username.clone());
            }
            let context = [username.as_str(), full_name.as_str()];
            let assigned = passphrase(rng, &context);
            let chosen = passphrase(rng, &context);
            StaffPlan {
                username,
                full_name,
                role,
                assigned,
                chosen,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, 10).unwrap()
    }

    #[test]
    fn names_come_from_every_script_and_each_field_has_a_word_redaction_sees() {
        let people = clients(&mut Rng::new(3), 400, today());
        for script in [
            Script::Latin,
            Script::Vietnamese,
            Script::Chinese,
            Script::Arabic,
            Script::Hebrew,
        ] {
            assert!(people.iter().any(|p| p.script == script), "{script:?}");
        }
        assert!(people.iter().any(|p| p.preferred.is_some()));
        assert!(people.iter().any(|p| p.middle.is_some()));
        assert!(people.iter().any(|p| p.order == NameOrder::FamilyFirst));
        assert!(people.iter().any(|p| !p.first.is_ascii()));
        for p in &people {
            for field in [
                Some(&p.first),
                p.middle.as_ref(),
                Some(&p.last),
                p.preferred.as_ref(),
            ]
            .into_iter()
            .flatten()
            {
                assert!(!folded_words(field).is_empty(), "{field}");
            }
            assert_eq!(p.input().legal_first_name, p.first);
        }
        let legal: HashSet<String> = people.iter().map(Person::legal).collect();
        assert!(legal.len() > 390, "names are mostly distinct");
    }

    #[test]
    fn staff_passphrases_pass_the_policy_and_usernames_are_distinct() {
        let roles = [Role::Clinician; 24];
        let staff = staff(&mut Rng::new(5), &roles);
        assert_eq!(staff.len(), 25);
        assert_eq!(staff[0].role, Role::Owner);
        let names: HashSet<&str> = staff.iter().map(|s| s.username.as_str()).collect();
        assert_eq!(names.len(), staff.len());
        for s in &staff {
            assert_ne!(s.assigned, s.chosen);
            for p in [&s.assigned, &s.chosen] {
                crate::passphrase_policy::check(
                    "p",
                    &crate::vault::secret::Passphrase::new(p.clone()),
                    &[&s.username, &s.full_name],
                )
                .unwrap();
            }
        }
    }
}
