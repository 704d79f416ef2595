//! Follows records until each reaches a final status: polls them by id every 1.5 s
//! (up to 1,000 a round, 200 per request) and hands every fresh version to `on_update`.

use std::collections::BTreeSet;
use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use sync_logs_core::{LogQuery, SyncLog, Tone};

use crate::api::ApiClient;

const ROUND: Duration = Duration::from_millis(1_500);
const PER_ROUND: usize = 1_000;
const PER_REQUEST: usize = 200;
/// Records still in flight after this many rounds are left alone (about 3 minutes).
const MAX_ROUNDS: u32 = 120;

/// Returns the callback that adds ids to follow.
pub fn use_follow(client: ApiClient, on_update: Callback<Vec<SyncLog>>) -> Callback<Vec<String>> {
    let following = StoredValue::new(BTreeSet::<String>::new());
    let running = StoredValue::new(false);
    let alive = StoredValue::new(true);
    on_cleanup(move || alive.set_value(false));
    Callback::new(move |ids: Vec<String>| {
        following.update_value(|set| set.extend(ids));
        if running.get_value() {
            return;
        }
        running.set_value(true);
        let client = client.clone();
        spawn_local(async move {
            for _ in 0..MAX_ROUNDS {
                gloo_timers::future::sleep(ROUND).await;
                if alive.try_get_value() != Some(true) {
                    return;
                }
                let round: Vec<String> =
                    following.with_value(|set| set.iter().take(PER_ROUND).cloned().collect());
                if round.is_empty() {
                    break;
                }
                for chunk in round.chunks(PER_REQUEST) {
                    let query = LogQuery {
                        ids: chunk.to_vec(),
                        limit: chunk.len() as u32,
                        ..LogQuery::default()
                    };
                    // A failed poll is tried again next round.
                    let Ok(page) = client.sync_logs_page(&query, None, None, &mut |_| {}).await
                    else {
                        continue;
                    };
                    let settled: Vec<String> = page
                        .items
                        .iter()
                        .filter(|row| row.status.tone() != Tone::InFlight)
                        .map(|row| row.id.clone())
                        .collect();
                    following.try_update_value(|set| {
                        settled.iter().for_each(|id| {
                            set.remove(id);
                        })
                    });
                    on_update.run(page.items);
                }
            }
            running.try_set_value(false);
        });
    })
}
