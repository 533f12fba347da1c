//! Every user-visible string of the shell, in both languages. Components ask for a [`Texts`]
//! and never spell a sentence themselves.

use ballot_core::lang::Lang;

/// The strings of one language.
pub struct Texts {
    /// Under the title.
    pub tagline: &'static str,
    /// Accessible name of the language switch.
    pub language: &'static str,
    /// Accessible name of the ring picture.
    pub ring: &'static str,
    /// Shown under the ring until a protocol is running.
    pub idle: &'static str,
    /// Role names, as shown on a node.
    pub follower: &'static str,
}

const EN: Texts = Texts {
    tagline: "Watch consensus protocols reach agreement, one message at a time.",
    language: "Language",
    ring: "A cluster of five servers",
    idle: "Five followers, term 0. Nothing has happened yet.",
    follower: "follower",
};

const ZH: Texts = Texts {
    tagline: "一条消息一条消息地观看共识协议如何达成一致。",
    language: "语言",
    ring: "由五台服务器组成的集群",
    idle: "五个跟随者，任期 0。一切尚未开始。",
    follower: "跟随者",
};

/// The strings for `lang`.
pub fn texts(lang: Lang) -> &'static Texts {
    match lang {
        Lang::En => &EN,
        Lang::Zh => &ZH,
    }
}

/// The name of a language, written in that language (what the toggle shows).
pub fn endonym(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "English",
        Lang::Zh => "简体中文",
    }
}
