//! The top of a page of the app: its title and one-line lead, the tabs between the
//! records and the runs, and the filter bar of the server query they share.

use leptos::prelude::*;
use sync_logs_core::{AppConfig, Instance, ViewState};

use super::{filter_bar::FilterBar, view_tabs::ViewTabs};
use crate::api::ApiError;
use crate::hooks::use_view_state::History;

#[component]
pub fn PageTop(
    title: &'static str,
    lead: &'static str,
    #[prop(into)] view: Signal<ViewState>,
    set_view: Callback<(ViewState, History)>,
    #[prop(into)] instances: Signal<Option<Result<Vec<Instance>, ApiError>>>,
    /// The backend lists no instances: those offered were seen in loaded rows.
    instances_from_rows: bool,
    config: AppConfig,
) -> impl IntoView {
    view! {
        <div class="page-head">
            <h1 id="page-title">{title}</h1>
            <p class="page-lead">{lead}</p>
        </div>
        <ViewTabs />
        <FilterBar
            view
            set_view
            instances
            instances_from_rows
            default_limit=config.default_limit
            max_days=config.max_range_days
            default_days=config.default_range_days
        />
    }
}
