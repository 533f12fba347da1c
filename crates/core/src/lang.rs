//! The two languages the playground speaks, and how trace notes become sentences.

use alloc::string::String;

/// A user-interface language.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default)]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// Simplified Chinese.
    Zh,
}

impl Lang {
    /// The BCP 47 tag (`en`, `zh-CN`).
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh-CN",
        }
    }

    /// Parses `en`, `zh`, `zh-CN`, `zh-Hans`… (anything else is `None`).
    pub fn parse(s: &str) -> Option<Lang> {
        let s = s.trim().to_ascii_lowercase();
        if s == "en" || s.starts_with("en-") {
            Some(Lang::En)
        } else if s == "zh" || s.starts_with("zh-") {
            Some(Lang::Zh)
        } else {
            None
        }
    }
}

/// Something that can be told as one sentence to a learner, in either language.
pub trait Narrate {
    /// The sentence, e.g. "S3 ignored AppendEntries from S1: term 2 < 3".
    fn narrate(&self, lang: Lang) -> String;
}
