//! Reusable view pieces. Each wires signals to `sync-logs-core` and holds no business
//! logic of its own.

pub mod action_panels;
pub mod actions_menu;
pub mod column_chooser;
pub mod column_filter;
pub mod connection_banner;
pub mod details_cell;
pub mod error_clusters;
pub mod filter_bar;
pub mod history_panel;
pub mod load_more;
pub mod log_table;
pub mod notice;
pub mod page_top;
pub mod range_picker;
pub mod refresh_control;
pub mod region;
pub mod search_box;
pub mod stat_cards;
pub mod states;
pub mod status_badge;
pub mod time_cell;
pub mod timeline;
pub mod toolbar;
pub mod typing_input;
pub mod view_tabs;

/// Whether the keyboard focus is on nothing in particular (the page's body), as after the
/// focused element was taken out of the page.
pub(crate) fn focus_is_nowhere() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .is_none_or(|d| {
            d.active_element()
                .is_none_or(|el| d.body().is_some_and(|b| b.is_same_node(Some(&el))))
        })
}
