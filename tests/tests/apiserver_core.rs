//! core/v1 ConfigMaps (specs/core/v1-configmaps.json) on the real kube-apiserver through the
//! resource handles: a namespaced handle takes its namespace once, the all-namespaces form
//! lists and watches across namespaces, and a built-in kind takes the same parameter sets
//! (`ListParams`, `PatchParams`, …) as a custom resource.

use futures_util::StreamExt as _;
use generated::core::v1 as core;
use generated::params::{
    DeleteParams, GetParams, ListParams, PatchParams, PropagationPolicy, WatchParams, WriteParams,
};
use generated::runtime::{Patch, WatchEvent};
use tests::apiserver::{namespace, shared, Identity};

fn config_map(name: &str, label: &str, value: &str) -> core::ConfigMap {
    serde_json::from_value(serde_json::json!({
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": name, "labels": {"test": label}},
        "data": {"key": value}
    }))
    .unwrap()
}

fn names(list: &core::ConfigMapList) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = list
        .items
        .iter()
        .map(|c| {
            let m = c.metadata.as_ref().unwrap();
            (
                m.namespace.clone().unwrap_or_default(),
                m.name.clone().unwrap_or_default(),
            )
        })
        .collect();
    v.sort();
    v
}

#[tokio::test]
async fn namespaced_handles_scope_every_call_and_all_namespaces_spans_them() {
    let admin = shared().client(Identity::Admin).unwrap();
    let (a, b) = (
        namespace(&admin, "cm-a").await,
        namespace(&admin, "cm-b").await,
    );
    let in_a = core::ConfigMapApi::namespaced(&admin, &a);
    let in_b = core::ConfigMapApi::namespaced(&admin, &b);
    assert_eq!(in_a.namespace(), a);

    // The same name in two namespaces: two objects, each handle sees its own.
    let created = in_a
        .create(
            &config_map("settings", "scoped", "in-a"),
            &WriteParams::default(),
        )
        .await
        .unwrap();
    assert_eq!(
        created.metadata.as_ref().unwrap().namespace.as_deref(),
        Some(a.as_str())
    );
    in_b.create(
        &config_map("settings", "scoped", "in-b"),
        &WriteParams::default(),
    )
    .await
    .unwrap();
    let got = in_b.get("settings", &GetParams::default()).await.unwrap();
    assert_eq!(got.data.as_ref().unwrap()["key"], "in-b");
    let listed = in_a
        .list(&ListParams::default().labels("test=scoped"))
        .await
        .unwrap();
    assert_eq!(names(&listed), [(a.clone(), "settings".to_string())]);

    // Across namespaces: both, through the handle's all-namespaces form.
    let everywhere = core::ConfigMapApi::all_namespaces(&admin)
        .list(&ListParams::default().labels("test=scoped"))
        .await
        .unwrap();
    assert_eq!(
        names(&everywhere),
        [
            (a.clone(), "settings".to_string()),
            (b.clone(), "settings".to_string())
        ]
    );

    // replace, patch and apply, each in its own namespace only.
    let mut changed = got.clone();
    changed
        .data
        .as_mut()
        .unwrap()
        .insert("key".into(), "replaced".into());
    in_b.replace("settings", &changed, &WriteParams::default())
        .await
        .unwrap();
    in_b.patch(
        "settings",
        &Patch::Strategic(serde_json::json!({"data": {"more": "strategic"}})),
        &PatchParams::default(),
    )
    .await
    .unwrap();
    let applied = in_b
        .apply(
            &config_map("settings", "scoped", "applied"),
            "core-test",
            &PatchParams::default().force(true),
        )
        .await
        .unwrap();
    let data = applied.data.unwrap();
    assert_eq!(
        (data["key"].as_str(), data.get("more").map(String::as_str)),
        ("applied", Some("strategic"))
    );
    assert_eq!(
        in_a.get("settings", &GetParams::default())
            .await
            .unwrap()
            .data
            .unwrap()["key"],
        "in-a",
        "the other namespace's object is untouched"
    );

    // A watch across namespaces sees a change in either.
    let list = core::ConfigMapApi::all_namespaces(&admin)
        .list(&ListParams::default().labels("test=scoped"))
        .await
        .unwrap();
    let rv = list.metadata.unwrap().resource_version.unwrap();
    let mut events = core::ConfigMapApi::all_namespaces(&admin)
        .watch(
            &WatchParams::default()
                .labels("test=scoped")
                .resource_version(rv.as_str()),
        )
        .await
        .unwrap();
    in_a.delete("settings", None, &DeleteParams::default())
        .await
        .unwrap();
    let event = tokio::time::timeout(std::time::Duration::from_secs(30), events.next())
        .await
        .expect("an event within 30 s")
        .unwrap()
        .unwrap();
    match event {
        WatchEvent::Deleted(cm) => {
            assert_eq!(cm.metadata.unwrap().namespace.as_deref(), Some(a.as_str()))
        }
        other => panic!("expected the delete, got {other:?}"),
    }

    // delete_collection in one namespace leaves the other.
    let answer = in_b
        .delete_collection(
            None,
            &generated::params::DeleteCollectionParams::default().labels("test=scoped"),
        )
        .await
        .unwrap();
    // kube-apiserver answers with the list of the objects it deleted.
    let deleted = answer.deleted().expect("the list of what was deleted");
    assert_eq!(names(&deleted), [(b.clone(), "settings".to_string())]);
    let left = core::ConfigMapApi::all_namespaces(&admin)
        .list(&ListParams::default().labels("test=scoped"))
        .await
        .unwrap();
    assert!(left.items.is_empty(), "{:?}", names(&left));
}

#[tokio::test]
async fn a_built_in_delete_held_by_a_finalizer_returns_the_object() {
    let admin = shared().client(Identity::Admin).unwrap();
    let ns = namespace(&admin, "cm-held").await;
    let api = core::ConfigMapApi::namespaced(&admin, &ns);
    let mut held = config_map("held", "held", "x");
    held.metadata.as_mut().unwrap().finalizers = Some(vec!["kube-codegen.test/hold".into()]);
    api.create(&held, &WriteParams::default()).await.unwrap();
    let answer = api
        .delete(
            "held",
            None,
            &DeleteParams::default().propagation_policy(PropagationPolicy::Foreground),
        )
        .await
        .unwrap();
    let pending = answer
        .pending()
        .expect("the object while the finalizer holds it");
    assert!(pending.metadata.unwrap().deletion_timestamp.is_some());
    api.patch(
        "held",
        &Patch::Merge(serde_json::json!({"metadata": {"finalizers": null}})),
        &PatchParams::default(),
    )
    .await
    .unwrap();
    // Once nothing holds it, a delete answers with the Status.
    let mut deadline = 50;
    loop {
        match api.get("held", &GetParams::default()).await {
            Err(e) if e.status().map(|s| s.as_u16()) == Some(404) => break,
            Ok(_) if deadline > 0 => {
                deadline -= 1;
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
            other => panic!("the object should go once released: {other:?}"),
        }
    }
    api.create(&config_map("free", "held", "x"), &WriteParams::default())
        .await
        .unwrap();
    let gone = api
        .delete("free", None, &DeleteParams::default())
        .await
        .unwrap();
    assert!(gone.is_deleted(), "{gone:?}");
}
