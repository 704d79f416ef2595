//! The integration jobs and their entity types, loaded once for the filter bar.

use leptos::prelude::*;
use leptos::task::spawn_local;
use sync_logs_core::Instance;

use crate::api::{ApiClient, ApiError};

/// `None` while loading, then the instances or why they could not be loaded.
pub fn use_instances(client: ApiClient) -> ReadSignal<Option<Result<Vec<Instance>, ApiError>>> {
    let (instances, set_instances) = signal(None);
    spawn_local(async move {
        let result = client.instances(None).await.map(|body| body.instances);
        set_instances.try_set(Some(result));
    });
    instances
}
