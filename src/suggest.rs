//! "Did you mean …?": one rule for every suggestion the tool makes (setting keys, Docker
//! variables, connector config keys, connector type ids, rule names), so a typo gets the same
//! answer wherever it is made.

/// The candidate `word` was most likely meant to be, if any is close enough to be a typo:
///
/// 1. the same after lower-casing and dropping `_`, `-` and `.` (`xpack_actions` → `xpack.actions`,
///    `ALLOWED_HOSTS` → `ALLOWEDHOSTS`), else
/// 2. at most 2 edits apart (case-insensitive), or the same word in the singular (`proxy` →
///    `proxies`, as Kibana's own settings reference misnames `xpack.fleet.proxies`), else
/// 3. at most 4 edits apart and Jaro-Winkler similarity ≥ 0.9 (long words with a short typo).
///
/// Among several, the best class wins, then the fewest edits, then the most similar, then the
/// first in alphabetical order, so the answer does not depend on the candidates' order.
pub(crate) fn suggest<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let lower = word.to_lowercase();
    let squashed = squash(&lower);
    let word_singular = singular(&lower);
    let mut best: Option<((u8, usize, i64), &'a str)> = None;
    for candidate in candidates {
        // Edit distance is at least the difference in length: skip hopeless candidates early.
        // (Compared without allocating: a file may ask about thousands of words.)
        let same_squashed = squashed_chars(candidate).eq(squashed.chars());
        if candidate.len().abs_diff(word.len()) > 4 && !same_squashed {
            continue;
        }
        let c = candidate.to_lowercase();
        let distance = strsim::levenshtein(&lower, &c);
        let similarity = strsim::jaro_winkler(&lower, &c);
        let class = if same_squashed {
            0
        } else if distance <= 2 || word_singular == singular(&c) {
            1
        } else if distance <= 4 && similarity >= 0.9 {
            2
        } else {
            continue;
        };
        // Similarity as an integer key, higher is better.
        let key = (class, distance, -((similarity * 1e6) as i64));
        let better = match &best {
            None => true,
            Some((k, b)) => key < *k || (key == *k && candidate < *b),
        };
        if better {
            best = Some((key, candidate));
        }
    }
    best.map(|(_, c)| c)
}

/// An English plural made singular (`proxies` → `proxy`, `hosts` → `host`), else the word.
fn singular(s: &str) -> std::borrow::Cow<'_, str> {
    if let Some(stem) = s.strip_suffix("ies") {
        format!("{stem}y").into()
    } else if let Some(stem) = s.strip_suffix('s').filter(|stem| !stem.ends_with('s')) {
        stem.into()
    } else {
        s.into()
    }
}

fn squash(s: &str) -> String {
    squashed_chars(s).collect()
}

/// `s` lower-cased, without `_`, `-` and `.`.
fn squashed_chars(s: &str) -> impl Iterator<Item = char> + '_ {
    s.chars()
        .filter(|c| !matches!(c, '_' | '-' | '.'))
        .flat_map(char::to_lowercase)
}

#[cfg(test)]
mod tests {
    use super::{singular, suggest};

    #[test]
    fn typos_are_found_and_strangers_are_not() {
        let keys = [
            "allowedHosts",
            "enabledActionTypes",
            "proxyUrl",
            "customHostSettings",
        ];
        assert_eq!(suggest("allowedhosts", keys), Some("allowedHosts"));
        assert_eq!(suggest("alowedHosts", keys), Some("allowedHosts"));
        assert_eq!(
            suggest("enabledActionType", keys),
            Some("enabledActionTypes")
        );
        assert_eq!(
            suggest("customHostSetings", keys),
            Some("customHostSettings")
        );
        assert_eq!(suggest("monitoring", keys), None);
        assert_eq!(
            suggest(
                "XPACK_ACTIONS_ALLOWED_HOSTS",
                ["XPACK_ACTIONS_ALLOWEDHOSTS"]
            ),
            Some("XPACK_ACTIONS_ALLOWEDHOSTS")
        );
        assert_eq!(suggest("webhook", [".webhook"]), Some(".webhook"));
        assert_eq!(suggest("proxy", ["proxies", "proxyUrl"]), Some("proxies"));
        assert_eq!(suggest(".webhok", [".webhook"]), Some(".webhook"));
    }

    #[test]
    fn plurals_are_made_singular_but_not_words_ending_in_ss() {
        assert_eq!(singular("proxies"), "proxy");
        assert_eq!(singular("hosts"), "host");
        assert_eq!(singular("address"), "address");
        assert_eq!(singular("enabled"), "enabled");
        // Three edits apart and below the similarity bar: only the plural rule finds it.
        assert_eq!(suggest("policies", ["policy"]), Some("policy"));
    }

    #[test]
    fn the_order_of_candidates_does_not_matter() {
        assert_eq!(suggest("prox", ["proxyUrl", "proxy"]), Some("proxy"));
        assert_eq!(suggest("prox", ["proxy", "proxyUrl"]), Some("proxy"));
        assert_eq!(suggest("ab", ["ac", "ad"]), suggest("ab", ["ad", "ac"]));
    }
}
