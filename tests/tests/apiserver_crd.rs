//! config.openshift.io/v1 Authentication, the CRD in specs/, installed on the real
//! kube-apiserver (tests/src/apiserver.rs) and driven through every generated operation, with
//! the query parameters doing what the server says they do. Authentication is cluster-scoped:
//! each test uses object names (and a label) of its own.

use futures_util::StreamExt as _;
use generated::config_openshift_io::v1 as config;
use generated::params::{
    DeleteParams, DryRun, FieldValidation, GetParams, ListParams, PatchParams, PropagationPolicy,
    ResourceVersionMatch, WatchParams, WriteParams,
};
use generated::runtime::{Patch, WatchEvent};
use tests::apiserver::{plain, shared, Identity};

/// The Authentication handle, with the CRD from specs/ installed.
async fn install_crd() -> config::AuthenticationApi {
    let admin = shared().client(Identity::Admin).unwrap();
    tests::apiserver::install_authentication_crd(&admin).await;
    config::AuthenticationApi::new(&admin)
}

fn object(name: &str, label: &str) -> config::Authentication {
    serde_json::from_value(serde_json::json!({
        "apiVersion": "config.openshift.io/v1",
        "kind": "Authentication",
        "metadata": {"name": name, "labels": {"test": label}},
        "spec": {"type": "IntegratedOAuth", "serviceAccountIssuer": "https://issuer.example"}
    }))
    .unwrap()
}

fn status_reason(e: &generated::runtime::Error) -> String {
    format!("{:?} {:?}", e.status(), e.reason())
}

#[tokio::test]
async fn create_read_replace_patch_and_status() {
    let api = install_crd().await;
    let created = api
        .create(&object("crud", "crud"), &WriteParams::default())
        .await
        .unwrap();
    let meta = created.metadata.clone().unwrap();
    assert_eq!(meta.name.as_deref(), Some("crud"));
    assert_eq!(
        created.spec.service_account_issuer.as_deref(),
        Some("https://issuer.example")
    );

    let read = api.get("crud", &GetParams::default()).await.unwrap();
    assert_eq!(read, created);

    // Replace with the current resourceVersion; then again with the stale one: 409.
    let mut changed = read.clone();
    changed.spec.service_account_issuer = Some("https://other.example".into());
    let replaced = api
        .replace("crud", &changed, &WriteParams::default())
        .await
        .unwrap();
    assert_eq!(
        replaced.spec.service_account_issuer.as_deref(),
        Some("https://other.example")
    );
    let stale = api
        .replace("crud", &changed, &WriteParams::default())
        .await
        .unwrap_err();
    assert_eq!(stale.status().map(|s| s.as_u16()), Some(409), "{stale}");
    assert_eq!(stale.reason(), Some("Conflict"));

    // JSON Patch and merge patch.
    let patched = api
        .patch(
            "crud",
            &Patch::Json(serde_json::json!([
                {"op": "replace", "path": "/spec/serviceAccountIssuer", "value": "https://json.example"}
            ])),
            &PatchParams::default(),
        )
        .await
        .unwrap();
    assert_eq!(
        patched.spec.service_account_issuer.as_deref(),
        Some("https://json.example")
    );
    let patched = api
        .patch(
            "crud",
            &Patch::Merge(serde_json::json!({"metadata": {"labels": {"merged": "yes"}}})),
            &PatchParams::default(),
        )
        .await
        .unwrap();
    let labels = patched.metadata.unwrap().labels.unwrap();
    assert_eq!(labels.get("merged").map(String::as_str), Some("yes"));
    // Strategic merge patch is for built-in kinds: a custom resource refuses it (415).
    let refused = api
        .patch(
            "crud",
            &Patch::Strategic(serde_json::json!({"spec": {"serviceAccountIssuer": "x"}})),
            &PatchParams::default(),
        )
        .await
        .unwrap_err();
    assert_eq!(refused.status().map(|s| s.as_u16()), Some(415), "{refused}");

    // The status subresource: the main endpoint ignores status, the subresource writes it.
    let status = serde_json::json!({"integratedOAuthMetadata": {"name": "oauth-meta"}});
    let ignored = api
        .patch(
            "crud",
            &Patch::Merge(serde_json::json!({"status": status})),
            &PatchParams::default(),
        )
        .await
        .unwrap();
    assert!(ignored
        .status
        .is_none_or(|s| s.integrated_o_auth_metadata.is_none()));
    let with_status = api
        .patch_status(
            "crud",
            &Patch::Merge(serde_json::json!({"status": status})),
            &PatchParams::default(),
        )
        .await
        .unwrap();
    let read_status = api.get_status("crud", &GetParams::default()).await.unwrap();
    assert_eq!(
        read_status
            .status
            .as_ref()
            .and_then(|s| s.integrated_o_auth_metadata.as_ref())
            .map(|m| m.name.as_str()),
        Some("oauth-meta")
    );
    let mut cleared = with_status.clone();
    cleared.status = Some(Default::default());
    let replaced = api
        .replace_status("crud", &cleared, &WriteParams::default())
        .await
        .unwrap();
    assert!(replaced
        .status
        .is_none_or(|s| s.integrated_o_auth_metadata.is_none()));

    let deleted = api
        .delete("crud", None, &DeleteParams::default())
        .await
        .unwrap();
    assert!(
        deleted.is_deleted(),
        "no finalizer: gone at once, a Status: {deleted:?}"
    );
    let gone = api.get("crud", &GetParams::default()).await.unwrap_err();
    assert_eq!(
        gone.status().map(|s| s.as_u16()),
        Some(404),
        "{}",
        status_reason(&gone)
    );
    assert_eq!(gone.reason(), Some("NotFound"));
}

#[tokio::test]
async fn dry_run_and_field_validation() {
    let api = install_crd().await;
    let dry = WriteParams {
        dry_run: Some(DryRun::All),
        ..Default::default()
    };
    let answered = api.create(&object("dry", "dry"), &dry).await.unwrap();
    assert_eq!(answered.metadata.unwrap().name.as_deref(), Some("dry"));
    let absent = api.get("dry", &GetParams::default()).await.unwrap_err();
    assert_eq!(
        absent.status().map(|s| s.as_u16()),
        Some(404),
        "dry run persisted the object"
    );

    // Replace, patch and delete with dryRun=All answer as if done and change nothing.
    let real = api
        .create(&object("dry-kept", "dry"), &WriteParams::default())
        .await
        .unwrap();
    let version =
        |a: &config::Authentication| a.metadata.as_ref().and_then(|m| m.resource_version.clone());
    let mut changed = real.clone();
    changed.spec.service_account_issuer = Some("https://replaced.example".into());
    let replaced = api.replace("dry-kept", &changed, &dry).await.unwrap();
    assert_eq!(
        replaced.spec.service_account_issuer.as_deref(),
        Some("https://replaced.example")
    );
    let patched = api
        .patch(
            "dry-kept",
            &Patch::Merge(
                serde_json::json!({"spec": {"serviceAccountIssuer": "https://patched.example"}}),
            ),
            &PatchParams {
                dry_run: Some(DryRun::All),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(
        patched.spec.service_account_issuer.as_deref(),
        Some("https://patched.example")
    );
    api.delete(
        "dry-kept",
        None,
        &DeleteParams {
            dry_run: Some(DryRun::All),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let stored = api
        .get("dry-kept", &GetParams::default())
        .await
        .expect("a dry-run delete leaves the object");
    assert_eq!(
        stored.spec.service_account_issuer.as_deref(),
        Some("https://issuer.example"),
        "a dry-run replace or patch changed the object"
    );
    assert_eq!(version(&stored), version(&real), "nothing was written");
    api.delete("dry-kept", None, &DeleteParams::default())
        .await
        .unwrap();

    // An unknown field: Strict refuses it, with the server's Status; Ignore drops it. (A
    // server-side apply with an unknown field fails whatever fieldValidation says: the
    // server showed "field not declared in schema" with Ignore.)
    let mut unknown = serde_json::to_value(object("strict", "strict")).unwrap();
    unknown["spec"]["notAField"] = serde_json::json!(true);
    let (status, body) = plain(
        &shared().client(Identity::Admin).unwrap(),
        "POST",
        "/apis/config.openshift.io/v1/authentications?fieldValidation=Strict",
        Some(unknown.clone()),
    )
    .await;
    assert_eq!(status, 400, "plain request with Strict: {body}");
    // The same through the generated request: the typed body cannot carry an unknown field,
    // so the sans-io request is sent with the raw body.
    let mut req = config::requests::create_authentication(
        &object("strict", "strict"),
        &WriteParams {
            field_validation: Some(FieldValidation::Strict),
            ..Default::default()
        },
    )
    .unwrap();
    *req.body_mut() = unknown.to_string().into_bytes();
    assert!(req.uri().to_string().contains("fieldValidation=Strict"));
    let client = shared().client(Identity::Admin).unwrap();
    let (status, body) = client.execute(req).await.unwrap();
    let refused = config::requests::parse_create_authentication(status, &body).unwrap_err();
    assert_eq!(refused.status().map(|s| s.as_u16()), Some(400), "{refused}");
    assert!(
        refused.to_string().contains("notAField"),
        "the error names the field: {refused}"
    );
    let mut req = config::requests::create_authentication(
        &object("strict", "strict"),
        &WriteParams {
            field_validation: Some(FieldValidation::Ignore),
            ..Default::default()
        },
    )
    .unwrap();
    *req.body_mut() = unknown.to_string().into_bytes();
    let (status, body) = client.execute(req).await.unwrap();
    let created = config::requests::parse_create_authentication(status, &body).unwrap();
    assert_eq!(created.metadata.unwrap().name.as_deref(), Some("strict"));
    api.delete("strict", None, &DeleteParams::default())
        .await
        .unwrap();

    // Warn: the server keeps the object (without the field) and says so in a `Warning:`
    // header, which reaches the client's warning handler.
    let seen: std::sync::Arc<std::sync::Mutex<Vec<generated::runtime::Warning>>> =
        Default::default();
    let sink = seen.clone();
    let warned = shared()
        .client_builder(Identity::Admin)
        .on_warning(move |w| sink.lock().unwrap().push(w.clone()))
        .build()
        .unwrap();
    let mut req = config::requests::create_authentication(
        &object("warn", "warn"),
        &WriteParams {
            field_validation: Some(FieldValidation::Warn),
            ..Default::default()
        },
    )
    .unwrap();
    let mut body = unknown.clone();
    body["metadata"]["name"] = "warn".into();
    *req.body_mut() = body.to_string().into_bytes();
    let (status, body) = warned.execute(req).await.unwrap();
    let created = config::requests::parse_create_authentication(status, &body).unwrap();
    assert_eq!(created.metadata.unwrap().name.as_deref(), Some("warn"));
    let seen = seen.lock().unwrap().clone();
    assert!(
        seen.iter().any(|w| w.code == 299
            && w.text.contains("unknown field")
            && w.text.contains("notAField")),
        "the server's warning: {seen:?}"
    );
    api.delete("warn", None, &DeleteParams::default())
        .await
        .unwrap();
}

#[tokio::test]
async fn server_side_apply_conflicts_and_force() {
    let api = install_crd().await;
    // `apply` names the object by its metadata.name and sends it as the manager given.
    let mut obj = object("ssa", "ssa");
    api.apply(&obj, "first", &PatchParams::default())
        .await
        .unwrap();
    obj.spec.service_account_issuer = Some("https://second.example".into());
    let conflict = api
        .apply(&obj, "second", &PatchParams::default())
        .await
        .unwrap_err();
    assert_eq!(
        conflict.status().map(|s| s.as_u16()),
        Some(409),
        "{conflict}"
    );
    assert!(
        conflict.to_string().contains("first"),
        "names the owner: {conflict}"
    );
    let forced = api
        .apply(&obj, "second", &PatchParams::default().force(true))
        .await
        .unwrap();
    assert_eq!(
        forced.spec.service_account_issuer.as_deref(),
        Some("https://second.example")
    );
    let managers: Vec<String> = forced
        .metadata
        .unwrap()
        .managed_fields
        .unwrap_or_default()
        .into_iter()
        .filter_map(|m| m.manager)
        .collect();
    assert!(managers.contains(&"second".to_string()), "{managers:?}");
    // Apply without a field manager is refused before it is sent (the server would answer 422,
    // "fieldManager: Required": see refused_combinations_are_the_servers_…).
    let refused = api
        .patch("ssa", &Patch::apply(&obj).unwrap(), &PatchParams::default())
        .await
        .unwrap_err();
    assert!(
        matches!(
            refused,
            generated::runtime::Error::InvalidOptions {
                field: "fieldManager",
                ..
            }
        ),
        "{refused}"
    );
    // apply_status: the status subresource, applied the same way; the main endpoint's
    // fields stay as they were.
    let mut with_status: config::Authentication = serde_json::from_value(serde_json::json!({
        "apiVersion": "config.openshift.io/v1",
        "kind": "Authentication",
        "metadata": {"name": "ssa"},
        "status": {"integratedOAuthMetadata": {"name": "applied-meta"}}
    }))
    .unwrap();
    let applied = api
        .apply_status(&with_status, "status-manager", &PatchParams::default())
        .await
        .unwrap();
    let status = applied.status.unwrap();
    assert_eq!(
        status.integrated_o_auth_metadata.map(|m| m.name),
        Some("applied-meta".to_string())
    );
    assert_eq!(
        applied.spec.service_account_issuer.as_deref(),
        Some("https://second.example")
    );
    // An object without a name cannot be applied: refused before sending.
    with_status.metadata = None;
    let nameless = api
        .apply_status(&with_status, "status-manager", &PatchParams::default())
        .await
        .unwrap_err();
    assert!(nameless.to_string().contains("metadata.name"), "{nameless}");
    api.delete("ssa", None, &DeleteParams::default())
        .await
        .unwrap();
}

#[tokio::test]
async fn list_selectors_pagination_and_delete_collection() {
    let api = install_crd().await;
    for i in 0..5 {
        api.create(
            &object(&format!("page-{i}"), "page"),
            &WriteParams::default(),
        )
        .await
        .unwrap();
    }
    let mine = ListParams {
        label_selector: Some("test=page".into()),
        ..Default::default()
    };
    let all = api.list(&mine).await.unwrap();
    assert_eq!(all.items.len(), 5);
    let by_field = api
        .list(&ListParams {
            field_selector: Some("metadata.name=page-3".into()),
            ..mine.clone()
        })
        .await
        .unwrap();
    assert_eq!(by_field.items.len(), 1);

    // limit + continue, by hand and through runtime::paginate.
    let first = api
        .list(&ListParams {
            limit: Some(2),
            ..mine.clone()
        })
        .await
        .unwrap();
    assert_eq!(first.items.len(), 2);
    let token = first.metadata.as_ref().and_then(|m| m.continue_.clone());
    assert!(token.is_some(), "a continue token after 2 of 5");
    let names: Vec<String> = generated::runtime::paginate(|token| {
        let api = api.clone();
        let params = ListParams {
            limit: Some(2),
            continue_: token,
            ..mine.clone()
        };
        async move { api.list(&params).await }
    })
    .map(|item| item.unwrap().metadata.unwrap().name.unwrap())
    .collect()
    .await;
    assert_eq!(names, ["page-0", "page-1", "page-2", "page-3", "page-4"]);

    // resourceVersion + resourceVersionMatch=Exact serves the list as of that version.
    let rv = all.metadata.unwrap().resource_version.unwrap();
    api.create(&object("page-5", "page"), &WriteParams::default())
        .await
        .unwrap();
    let then = api
        .list(&ListParams {
            resource_version: Some(rv),
            resource_version_match: Some(ResourceVersionMatch::Exact),
            ..mine.clone()
        })
        .await
        .unwrap();
    assert_eq!(then.items.len(), 5, "the list as it was");

    let dry = generated::params::DeleteCollectionParams {
        label_selector: Some("test=page".into()),
        dry_run: Some(DryRun::All),
        ..Default::default()
    };
    api.delete_collection(None, &dry).await.unwrap();
    assert_eq!(api.list(&mine).await.unwrap().items.len(), 6);
    let real = generated::params::DeleteCollectionParams {
        dry_run: None,
        ..dry
    };
    api.delete_collection(None, &real).await.unwrap();
    assert!(api.list(&mine).await.unwrap().items.is_empty());
}

#[tokio::test]
async fn watch_events_bookmarks_initial_events_and_expiry() {
    let api = install_crd().await;
    let mine = |extra: WatchParams| WatchParams {
        label_selector: Some("test=watch".into()),
        timeout_seconds: Some(30),
        ..extra
    };
    let start = api
        .list(&ListParams {
            label_selector: Some("test=watch".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    let rv = start.metadata.unwrap().resource_version.unwrap();
    let mut events = api
        .watch(&mine(WatchParams {
            resource_version: Some(rv.clone()),
            allow_watch_bookmarks: Some(true),
            ..Default::default()
        }))
        .await
        .unwrap();
    api.create(&object("watched", "watch"), &WriteParams::default())
        .await
        .unwrap();
    api.patch(
        "watched",
        &Patch::Merge(serde_json::json!({"spec": {"serviceAccountIssuer": "https://w.example"}})),
        &PatchParams::default(),
    )
    .await
    .unwrap();
    api.delete("watched", None, &DeleteParams::default())
        .await
        .unwrap();
    let mut seen = Vec::new();
    while seen.len() < 3 {
        match events.next().await.expect("the watch ended early").unwrap() {
            WatchEvent::Added(o) => seen.push(("ADDED", o.metadata.unwrap().name.unwrap())),
            WatchEvent::Modified(o) => seen.push(("MODIFIED", o.metadata.unwrap().name.unwrap())),
            WatchEvent::Deleted(o) => seen.push(("DELETED", o.metadata.unwrap().name.unwrap())),
            WatchEvent::Bookmark(_) => {}
            WatchEvent::Error(s) => panic!("watch error: {s:?}"),
        }
    }
    assert_eq!(
        seen,
        [
            ("ADDED", "watched".to_string()),
            ("MODIFIED", "watched".to_string()),
            ("DELETED", "watched".to_string())
        ]
    );

    // sendInitialEvents: the current objects as ADDED, then a bookmark marking their end.
    api.create(&object("initial", "watch"), &WriteParams::default())
        .await
        .unwrap();
    let mut initial = api
        .watch(&mine(WatchParams {
            send_initial_events: Some(true),
            resource_version_match: Some(ResourceVersionMatch::NotOlderThan),
            allow_watch_bookmarks: Some(true),
            ..Default::default()
        }))
        .await
        .unwrap();
    let mut added = Vec::new();
    loop {
        match initial
            .next()
            .await
            .expect("ended before the bookmark")
            .unwrap()
        {
            WatchEvent::Added(o) => added.push(o.metadata.unwrap().name.unwrap()),
            WatchEvent::Bookmark(b) => {
                assert_eq!(
                    b.annotations
                        .get("k8s.io/initial-events-end")
                        .map(String::as_str),
                    Some("true")
                );
                break;
            }
            other => panic!("unexpected before the bookmark: {other:?}"),
        }
    }
    assert_eq!(added, ["initial"]);
    api.delete("initial", None, &DeleteParams::default())
        .await
        .unwrap();

    // A resourceVersion long compacted away: 410 Gone, as an error value that says so (the
    // server answers either with a 410 status or with an ERROR event carrying it).
    let expired = api
        .watch(&mine(WatchParams {
            resource_version: Some("1".into()),
            ..Default::default()
        }))
        .await;
    let gone = match expired {
        Err(e) => e.is_expired(),
        Ok(mut stream) => match stream.next().await {
            Some(Ok(WatchEvent::Error(s))) => s.code == Some(410),
            other => panic!("expected 410, got {other:?}"),
        },
    };
    assert!(gone, "an expired resourceVersion is reported as 410 Gone");
}

#[tokio::test]
async fn delete_while_a_finalizer_holds_the_object_returns_the_object() {
    let api = install_crd().await;
    let mut held = object("held", "held");
    held.metadata.as_mut().unwrap().finalizers = Some(vec!["kube-codegen.test/hold".into()]);
    api.create(&held, &WriteParams::default()).await.unwrap();
    let answer = api
        .delete("held", None, &DeleteParams::default())
        .await
        .unwrap();
    let pending = answer
        .pending()
        .expect("the object, not a Status, while the finalizer holds it");
    let meta = pending.metadata.unwrap();
    assert!(meta.deletion_timestamp.is_some(), "{meta:?}");
    // Releasing the finalizer lets the deletion finish.
    api.patch(
        "held",
        &Patch::Merge(serde_json::json!({"metadata": {"finalizers": null}})),
        &PatchParams::default(),
    )
    .await
    .unwrap();
    let gone = api.get("held", &GetParams::default()).await.unwrap_err();
    assert_eq!(gone.status().map(|s| s.as_u16()), Some(404), "{gone}");
}

#[tokio::test]
async fn errors_are_typed_with_the_servers_status() {
    let api = install_crd().await;
    // 403: `user` has no RBAC grant.
    let user = config::AuthenticationApi::new(&shared().client(Identity::User).unwrap());
    let forbidden = user.list(&ListParams::default()).await.unwrap_err();
    assert_eq!(
        forbidden.status().map(|s| s.as_u16()),
        Some(403),
        "{forbidden}"
    );
    assert_eq!(forbidden.reason(), Some("Forbidden"));
    // 422: a value the schema refuses (`type` is an enum).
    let mut bad = serde_json::to_value(object("invalid", "invalid")).unwrap();
    bad["spec"]["type"] = serde_json::json!("NotAType");
    let bad: config::Authentication = serde_json::from_value(bad).unwrap();
    let invalid = api.create(&bad, &WriteParams::default()).await.unwrap_err();
    assert_eq!(invalid.status().map(|s| s.as_u16()), Some(422), "{invalid}");
    assert_eq!(invalid.reason(), Some("Invalid"));
    // 409 on create of an existing name.
    api.create(&object("twice", "twice"), &WriteParams::default())
        .await
        .unwrap();
    let exists = api
        .create(&object("twice", "twice"), &WriteParams::default())
        .await
        .unwrap_err();
    assert_eq!(exists.status().map(|s| s.as_u16()), Some(409), "{exists}");
    assert_eq!(exists.reason(), Some("AlreadyExists"));
    // Delete with options: propagationPolicy and gracePeriodSeconds are accepted.
    api.delete(
        "twice",
        None,
        &DeleteParams {
            propagation_policy: Some(PropagationPolicy::Foreground),
            grace_period_seconds: Some(0),
            ..Default::default()
        },
    )
    .await
    .unwrap();
}

/// Each combination the client refuses before sending is one the real server refuses too,
/// with the same words: every case is sent twice, through the generated request (refused,
/// nothing sent) and as the same request built without the check (the server's answer).
#[tokio::test]
async fn refused_combinations_are_the_servers_and_are_refused_before_sending() {
    use generated::runtime::request::{self, Query, QueryParams};
    let api = install_crd().await;
    let admin = api.client().clone();
    let path = "/apis/config.openshift.io/v1/authentications";
    let named = format!("{path}/refused-missing");
    let apply = Patch::apply(&object("refused-missing", "refused")).unwrap();
    let merge = Patch::Merge(serde_json::json!({"metadata": {"labels": {"a": "b"}}}));
    let long_manager = "m".repeat(129);
    type Case<'a> = (
        &'a str,
        generated::runtime::Result<generated::runtime::HttpRequest>,
        (&'a str, String, Query, Option<(Vec<u8>, &'static str)>),
    );
    fn unchecked(params: &dyn QueryParams, fixed: &[(&str, &str)]) -> Query {
        let mut q = Query::new();
        for (k, v) in fixed {
            q.push(k, v);
        }
        params.append_to(&mut q);
        q
    }
    let list_rvm = ListParams::default().resource_version_match(ResourceVersionMatch::NotOlderThan);
    let list_sie = ListParams::default().send_initial_events(true);
    let list_exact0 = ListParams::default()
        .resource_version("0")
        .resource_version_match(ResourceVersionMatch::Exact);
    let watch_sie = WatchParams::default().send_initial_events(true);
    let watch_rvm =
        WatchParams::default().resource_version_match(ResourceVersionMatch::NotOlderThan);
    let no_manager = PatchParams::default();
    let forced_merge = PatchParams::default().force(true);
    let too_long = PatchParams::default().field_manager(long_manager.as_str());
    let unprintable = WriteParams::default().field_manager("two\nlines");
    let both = DeleteParams::default()
        .orphan_dependents(true)
        .propagation_policy(PropagationPolicy::Orphan);
    let body = |p: &Patch| Some((p.body().unwrap(), p.content_type()));
    let created = serde_json::to_vec(&object("refused-create", "refused")).unwrap();
    let cases: Vec<Case> = vec![
        (
            "resourceVersionMatch is forbidden unless resourceVersion is provided",
            config::requests::list_authentication(&list_rvm),
            ("GET", path.into(), unchecked(&list_rvm, &[]), None),
        ),
        (
            "sendInitialEvents is forbidden for list",
            config::requests::list_authentication(&list_sie),
            ("GET", path.into(), unchecked(&list_sie, &[]), None),
        ),
        (
            "resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\"",
            config::requests::list_authentication(&list_exact0),
            ("GET", path.into(), unchecked(&list_exact0, &[]), None),
        ),
        (
            "sendInitialEvents requires setting resourceVersionMatch to NotOlderThan",
            config::requests::watch_authentication(&watch_sie),
            (
                "GET",
                path.into(),
                unchecked(&watch_sie, &[("watch", "true")]),
                None,
            ),
        ),
        (
            "resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided",
            config::requests::watch_authentication(&watch_rvm),
            (
                "GET",
                path.into(),
                unchecked(&watch_rvm, &[("watch", "true")]),
                None,
            ),
        ),
        (
            "is required for apply patch",
            config::requests::patch_authentication("refused-missing", &apply, &no_manager),
            (
                "PATCH",
                named.clone(),
                unchecked(&no_manager, &[]),
                body(&apply),
            ),
        ),
        (
            "may not be specified for non-apply patch",
            config::requests::patch_authentication("refused-missing", &merge, &forced_merge),
            (
                "PATCH",
                named.clone(),
                unchecked(&forced_merge, &[]),
                body(&merge),
            ),
        ),
        (
            "may not be more than 128 bytes",
            config::requests::patch_authentication("refused-missing", &merge, &too_long),
            (
                "PATCH",
                named.clone(),
                unchecked(&too_long, &[]),
                body(&merge),
            ),
        ),
        (
            "fieldManager: Invalid value: \"two\\nlines\": invalid character U+000A (at position 3)",
            config::requests::create_authentication(
                &object("refused-create", "refused"),
                &unprintable,
            ),
            (
                "POST",
                path.into(),
                unchecked(&unprintable, &[]),
                Some((created.clone(), "application/json")),
            ),
        ),
        (
            "orphanDependents and deletionPropagation cannot be both set",
            config::requests::delete_authentication("refused-missing", None, &both),
            ("DELETE", named.clone(), unchecked(&both, &[]), None),
        ),
    ];
    for (phrase, ours, (method, path, query, body)) in cases {
        let err = ours.expect_err(phrase);
        assert!(
            matches!(err, generated::runtime::Error::InvalidOptions { .. }),
            "{phrase}: {err:?}"
        );
        let ours = err.to_string();
        assert!(ours.contains(phrase), "ours: {ours}");
        let req = request::build(method, path.clone() + &query.finish(), body).unwrap();
        let (status, answer) = admin.execute(req).await.unwrap();
        let message = serde_json::from_slice::<serde_json::Value>(&answer).unwrap()["message"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        assert!(
            status.is_client_error() && message.contains(phrase),
            "{method} {path}: the server answered {status} {message:?}, we said {ours:?}"
        );
        // The field the server names is the one we name.
        let field = ours
            .trim_start_matches("invalid request options: ")
            .split(':')
            .next()
            .unwrap()
            .to_string();
        assert!(
            message.contains(&format!("{field}: ")),
            "{field} in {message:?}"
        );
    }

    // What passes the checks is what the server serves.
    let ok = ListParams::default()
        .labels("test=refused")
        .limit(1)
        .resource_version("0")
        .resource_version_match(ResourceVersionMatch::NotOlderThan);
    assert_eq!(ok.label_selector.as_deref(), Some("test=refused"));
    api.list(&ok).await.unwrap();
    let applied = api
        .patch(
            "refused-applied",
            &Patch::apply(&object("refused-applied", "refused")).unwrap(),
            &PatchParams::default()
                .field_manager("refusal-test")
                .force(true),
        )
        .await
        .unwrap();
    assert_eq!(
        applied.metadata.unwrap().name.as_deref(),
        Some("refused-applied")
    );
    api.delete(
        "refused-applied",
        None,
        &DeleteParams::default().propagation_policy(PropagationPolicy::Background),
    )
    .await
    .unwrap();
}
