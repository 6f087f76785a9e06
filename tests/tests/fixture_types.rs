//! Behaviour of the code emitted for the model fixtures (compiled by build.rs): what the
//! snapshots show must also work at run time.

use serde_json::json;
use tests::fixtures;

fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(
    v: serde_json::Value,
) -> serde_json::Value {
    let t: T = serde_json::from_value(v).expect("deserializes");
    serde_json::to_value(&t).expect("serializes")
}

#[test]
fn unknown_enum_values_survive() {
    use fixtures::string_enum::example::v1::{Holder, HolderMode, Policy};
    let h: Holder =
        serde_json::from_value(json!({"policy": "SomethingNew", "mode": "fast"})).unwrap();
    assert_eq!(h.policy, Some(Policy::Other("SomethingNew".into())));
    assert_eq!(h.mode, Some(HolderMode::Fast));
    let v = json!({"policy": "", "mode": "medium"});
    assert_eq!(round_trip::<Holder>(v.clone()), v);
    // The spec's own value "Other" is a known variant, distinct from the catch-all.
    assert_eq!(
        serde_json::from_value::<Policy>(json!("Other")).unwrap(),
        Policy::Other2
    );
    assert_eq!(Policy::NeverAgain.as_str(), "never-again");
}

#[test]
fn kinds_write_api_version_and_kind() {
    use fixtures::resource_kind::example_io::v1::{Thing, ThingSpec};
    use generated::runtime::Resource;
    let t = Thing {
        metadata: None,
        spec: ThingSpec { size: Some(3) },
    };
    assert_eq!(
        serde_json::to_value(&t).unwrap(),
        json!({"apiVersion": "example.io/v1", "kind": "Thing", "spec": {"size": 3}})
    );
    assert_eq!((Thing::PLURAL, Thing::NAMESPACED), ("things", true));
}

#[test]
fn crd_kind_list_and_nested_objects() {
    use fixtures::nested_objects::example_com::v1::{Gadget, GadgetList};
    let v = json!({"apiVersion": "example.com/v1", "kind": "GadgetList", "metadata": {"continue": "abc"},
        "items": [{"apiVersion": "example.com/v1", "kind": "Gadget", "metadata": {"name": "g", "namespace": "ns"},
                   "spec": {"owner": {"name": "me"}, "parts": [{"id": "a", "size": 2}]}}]});
    assert_eq!(round_trip::<GadgetList>(v.clone()), v);
    // Required fields sent as null still deserialize.
    let g: Gadget = serde_json::from_value(json!({"spec": {"owner": {"name": null}}})).unwrap();
    assert_eq!(g.spec.unwrap().owner.name, "");
}

#[test]
fn recursion_maps_preserved_fields_int_or_string_times_bytes() {
    use fixtures::{int_or_string, maps, preserve_unknown_fields, recursive, timestamps_and_bytes};
    let v = json!({"value": "a", "next": {"value": "b", "next": {"value": "c"}}, "children": [{"value": "d"}]});
    assert_eq!(round_trip::<recursive::example::v1::Node>(v.clone()), v);
    let v =
        json!({"labels": {"a": "b"}, "extra": {"k": ["x", "y"]}, "limits": {"cpu": {"max": 4}}});
    assert_eq!(round_trip::<maps::example::v1::Settings>(v.clone()), v);
    // Whole numbers come back as Go writes them: `2`, not `2.0` (a different JSON value).
    let v = json!({"weights": {"a": 2, "b": 0.5}, "scores": [1, 2.5], "ratio": 3});
    assert_eq!(round_trip::<maps::example::v1::Settings>(v.clone()), v);
    let v = json!({"apiVersion": "example.com/v1alpha1", "kind": "Blob",
        "spec": {"raw": {"any": [1, {"thing": true}]}, "open": {"known": "k", "unknown": {"deep": 1}}}});
    assert_eq!(
        round_trip::<preserve_unknown_fields::example_com::v1alpha1::Blob>(v.clone()),
        v
    );
    let v = json!({"number": 80, "target": 8080, "maxUnavailable": "25%", "ref": "http"});
    assert_eq!(round_trip::<int_or_string::example::v1::Port>(v.clone()), v);
    let err = serde_json::from_value::<int_or_string::example::v1::Port>(json!({"target": 1}))
        .unwrap_err();
    assert!(err.to_string().contains("missing field `number`"), "{err}");
    // A key given twice keeps the last value, as Go's decoder does.
    let p: int_or_string::example::v1::Port =
        serde_json::from_str(r#"{"number": 1, "target": 2, "number": "http"}"#).unwrap();
    assert_eq!(
        p.number,
        generated::runtime::IntOrString::String("http".into())
    );
    let v = json!({"at": "2024-02-29T23:59:59Z", "precise": "2024-02-29T23:59:59.123456Z", "payload": "aGk="});
    assert_eq!(
        round_trip::<timestamps_and_bytes::example::v1::Event>(v.clone()),
        v
    );
    assert!(
        serde_json::from_value::<timestamps_and_bytes::example::v1::Event>(
            json!({"payload": "aGk="})
        )
        .is_err(),
        "a required timestamp is required"
    );
}

/// A CRD whose root declares no properties: what the server keeps (everything, with
/// x-kubernetes-preserve-unknown-fields; only metadata without) is what the kind keeps.
#[test]
fn a_crd_root_without_properties_keeps_what_the_server_keeps() {
    use fixtures::bare_root::example_com::v1::{Marker, Setting};
    let v = json!({"apiVersion": "example.com/v1", "kind": "Setting", "metadata": {"name": "s"},
        "value": {"deep": [1, "two"]}, "enabled": true});
    assert_eq!(round_trip::<Setting>(v.clone()), v);
    let s: Setting = serde_json::from_value(v).unwrap();
    assert_eq!(s.unknown_fields["enabled"], json!(true));
    let v = json!({"apiVersion": "example.com/v1", "kind": "Marker", "metadata": {"name": "m", "namespace": "n"}});
    assert_eq!(round_trip::<Marker>(v.clone()), v);
    // Fields the server would have pruned are dropped.
    let m: Marker =
        serde_json::from_value(json!({"metadata": {"name": "m"}, "spec": {"a": 1}})).unwrap();
    assert_eq!(
        serde_json::to_value(&m).unwrap(),
        json!({"apiVersion": "example.com/v1", "kind": "Marker", "metadata": {"name": "m"}})
    );
}

/// An `int32` whose own bounds go beyond i32 (controller-gen's uint32) holds what the server
/// accepts; one bounded inside i32 stays i32.
#[test]
fn int32_fields_follow_their_bounds() {
    use fixtures::integer_bounds::example_com::v1::{Peer, PeerSpec};
    let v = json!({"apiVersion": "example.com/v1", "kind": "Peer", "spec": {"asn": 4200000000u64, "port": 179, "offset": -3000000000i64}});
    assert_eq!(round_trip::<Peer>(v.clone()), v);
    let spec = PeerSpec {
        asn: Some(4_200_000_000i64),
        port: Some(179i32),
        offset: Some(-3_000_000_000i64),
    };
    assert_eq!(serde_json::to_value(&spec).unwrap(), v["spec"]);
}

#[test]
fn namespaced_crd_requests_put_each_path_parameter_in_its_place() {
    use fixtures::nested_objects::example_com::v1::requests;
    let req = requests::read_namespaced_gadget("g1", "team-a", &Default::default()).unwrap();
    assert_eq!(
        req.uri(),
        "/apis/example.com/v1/namespaces/team-a/gadgets/g1"
    );
    let req = requests::watch_gadget_for_all_namespaces(&Default::default()).unwrap();
    assert_eq!(req.uri(), "/apis/example.com/v1/gadgets?watch=true");
    let req = requests::patch_namespaced_gadget_status(
        "g1",
        "team-a",
        &generated::runtime::Patch::Merge(json!({})),
        &Default::default(),
    )
    .unwrap();
    assert_eq!(
        req.uri(),
        "/apis/example.com/v1/namespaces/team-a/gadgets/g1/status"
    );
}

#[test]
fn one_of_branches_decode_to_their_variant() {
    use fixtures::one_of_any_of::example::v1::{Selector, Source, SourceInline};
    let s: Source = serde_json::from_value(json!({"inline": "text"})).unwrap();
    assert_eq!(s.inline, Some(SourceInline::String("text".into())));
    let s: Source = serde_json::from_value(json!({"inline": ["a", "b"]})).unwrap();
    assert_eq!(
        s.inline,
        Some(SourceInline::Array(vec!["a".into(), "b".into()]))
    );
    let s: Source =
        serde_json::from_value(json!({"inline": {"matchLabels": {"app": "x"}}})).unwrap();
    assert_eq!(
        s.inline,
        Some(SourceInline::Selector(Selector {
            match_labels: [("app".to_string(), "x".to_string())].into()
        }))
    );
    let v = json!({"ref": "r", "inline": {"matchLabels": {}}, "port": 80, "legacy": "http", "exclusive": {"a": "only"}});
    assert_eq!(round_trip::<Source>(v.clone()), v);
    assert!(
        serde_json::from_value::<Source>(json!({"inline": 5})).is_err(),
        "no branch takes a number"
    );
}

/// Defaulting is the server's: an optional field with a schema default stays absent when
/// absent (a sparse object round-trips, and a server-side apply of it claims no defaulted
/// field); a required one decodes to its default when absent, as the server would have filled
/// it in.
#[test]
fn nullable_fields_and_literal_defaults() {
    use fixtures::nullable_and_defaults::example::v1::{Tunable, TunableLevel};
    let t: Tunable = serde_json::from_value(json!({"owner": null})).unwrap();
    assert_eq!(
        (
            t.owner.as_deref(),
            t.replicas,
            t.ratio,
            t.paused,
            t.level,
            t.size
        ),
        (None, None, None, None, None, 5)
    );
    assert_eq!((&t.mode, t.label.as_deref()), (&None, None));
    assert_eq!(
        Tunable::default(),
        t,
        "Default starts from the required fields' schema defaults"
    );
    // Required-but-nullable is written even when null; absent optional fields are not written;
    // a required field is, with its value.
    assert_eq!(
        serde_json::to_value(&t).unwrap(),
        json!({"owner": null, "size": 5})
    );
    let v = json!({"owner": "me", "replicas": 1, "ratio": 1.5, "paused": false, "mode": "Fast", "label": "x", "empty": "", "level": 3, "size": 2});
    assert_eq!(round_trip::<Tunable>(v.clone()), v);
    let sparse = json!({"owner": "me", "size": 5});
    assert_eq!(round_trip::<Tunable>(sparse.clone()), sparse);
    // Integer enums: known values are variants, others survive as Other.
    let t: Tunable = serde_json::from_value(json!({"owner": "x", "level": 7})).unwrap();
    let level = t.level.unwrap();
    assert_eq!((level, level.value()), (TunableLevel::Other(7), 7));
    assert_eq!(serde_json::to_value(&t).unwrap()["level"], 7);
}

#[test]
fn odd_property_names_keep_their_wire_names() {
    use fixtures::odd_property_names::example::v1::Odd;
    let v = json!({"type": "t", "self": "s", "3d": true, "x-forwarded-for": "1.2.3.4", "kubernetes.io/name": "n",
                   "$ref": "#/x", "@timestamp": "now", "fooBar": "1", "foo_bar": "2", "FooBar": "3"});
    let o: Odd = serde_json::from_value(v.clone()).unwrap();
    assert_eq!(
        (
            o.foo_bar.as_deref(),
            o.foo_bar_2.as_deref(),
            o.foo_bar_3.as_deref()
        ),
        (Some("1"), Some("2"), Some("3"))
    );
    assert_eq!(
        (o.type_.as_deref(), o._3d, o.ref_.as_deref()),
        (Some("t"), Some(true), Some("#/x"))
    );
    assert_eq!(serde_json::to_value(&o).unwrap(), v);
    let v = json!({"$": {"x": "1"}, "@": {"y": "2"}, "nestedA": {"fooBar": {"a": "3"}, "foo_bar": {"b": "4"}}});
    let o: Odd = serde_json::from_value(v.clone()).unwrap();
    let _: (
        &fixtures::odd_property_names::example::v1::OddDollar,
        &fixtures::odd_property_names::example::v1::OddAt,
    ) = (o.dollar.as_ref().unwrap(), o.at.as_ref().unwrap());
    let n = o.nested_a.as_ref().unwrap();
    let _: (
        &fixtures::odd_property_names::example::v1::OddNestedAFooBar,
        &fixtures::odd_property_names::example::v1::OddNestedAFooBar2,
    ) = (n.foo_bar.as_ref().unwrap(), n.foo_bar_2.as_ref().unwrap());
    assert_eq!(serde_json::to_value(&o).unwrap(), v);
}

#[test]
fn merged_all_of_deep_nesting_cross_documents_and_quantities() {
    use fixtures::{all_of_merge, cross_document, deep_nesting, embedded_and_quantity};
    let v = json!({"id": "x", "extra": 2});
    assert_eq!(
        round_trip::<all_of_merge::example::v1::Derived>(v.clone()),
        v
    );
    let v = json!({"cells": [{"east": [{"ip": "10.0.0.1", "host": "a.example", "weight": 0.25}], "west": []}], "ports": [80, 443]});
    assert_eq!(
        round_trip::<deep_nesting::example::v1::Matrix>(v.clone()),
        v
    );
    let v = json!({"b": {"a": {"b": {}}, "many": [{"b": {"many": []}}]}});
    assert_eq!(round_trip::<deep_nesting::example::v1::A>(v.clone()), v);
    let v = json!({"replicas": 2, "template": {"image": "nginx"}});
    assert_eq!(
        round_trip::<cross_document::apps::v1::DeploymentSpec>(v.clone()),
        v
    );
    let v = json!({"apiVersion": "example.com/v1", "kind": "Template", "metadata": {"name": "t"},
                   "spec": {"object": {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cm"}, "data": {"k": "v"}},
                            "limits": {"cpu": "500m", "pods": 10},
                            "nested": [{"free": {"anything": [1, "two", {"three": 3}]}}]}});
    assert_eq!(
        round_trip::<embedded_and_quantity::example_com::v1::Template>(v.clone()),
        v
    );
}

#[test]
fn every_crd_version_is_its_own_module_with_scale() {
    use fixtures::multi_version_crd::{autoscaling, example_com};
    use generated::runtime::Resource;
    assert_eq!(example_com::v1::Worker::API_VERSION, "example.com/v1");
    assert_eq!(
        example_com::v1beta1::Worker::API_VERSION,
        "example.com/v1beta1"
    );
    let v = json!({"apiVersion": "example.com/v1beta1", "kind": "Worker", "spec": {"count": 2}});
    assert_eq!(round_trip::<example_com::v1beta1::Worker>(v.clone()), v);
    let req = example_com::v1::requests::replace_namespaced_worker_scale(
        "w",
        "ns",
        &autoscaling::v1::Scale::default(),
        &Default::default(),
    )
    .unwrap();
    assert_eq!(
        (req.method().as_str(), req.uri().to_string()),
        (
            "PUT",
            "/apis/example.com/v1/namespaces/ns/workers/w/scale".to_string()
        )
    );
}

#[test]
fn a_list_of_crds_gives_every_kind() {
    use fixtures::crd_list::example_org::v1::{ClusterThing, Thing};
    use generated::runtime::Resource;
    assert_eq!((ClusterThing::NAMESPACED, Thing::NAMESPACED), (false, true));
    let v = json!({"apiVersion": "example.org/v1", "kind": "Thing", "metadata": {"name": "t", "namespace": "n"}, "spec": {"color": "red"}});
    assert_eq!(round_trip::<Thing>(v.clone()), v);
}

/// A kind named like a prelude type keeps its name on the wire and in `KIND`; its struct takes
/// a trailing `_`, its handles do not.
#[test]
fn kinds_named_like_prelude_types_have_plain_handle_names() {
    use fixtures::prelude_kinds::example_org::v1::{
        ResultAllNamespacesApi, ResultApi, Result_, StringApi, String_,
    };
    use generated::runtime::Resource;
    assert_eq!((Result_::KIND, String_::KIND), ("Result", "String"));
    assert_eq!((Result_::NAMESPACED, String_::NAMESPACED), (true, false));
    let client = generated::runtime::Client::builder("http://127.0.0.1:1")
        .build()
        .unwrap();
    let _: (ResultApi, ResultAllNamespacesApi, StringApi) = (
        ResultApi::namespaced(&client, "n"),
        ResultApi::all_namespaces(&client),
        StringApi::new(&client),
    );
    let v = json!({"apiVersion": "example.org/v1", "kind": "Result", "metadata": {"name": "r"}, "spec": {"ok": true}});
    assert_eq!(round_trip::<Result_>(v.clone()), v);
}

/// `Api` is each group/version's operations: a kind of that name is `Api_`, beside them, and
/// its handles are `ApiApi` and `ApiAllNamespacesApi`. A kind `API` keeps its name.
#[test]
fn kinds_named_api_stand_beside_the_groups_operations() {
    use fixtures::prelude_kinds::example_net::v1::API;
    use fixtures::prelude_kinds::example_org::v1::{Api, ApiAllNamespacesApi, ApiApi, Api_};
    use generated::runtime::Resource;
    assert_eq!((Api_::KIND, API::KIND), ("Api", "API"));
    let client = generated::runtime::Client::builder("http://127.0.0.1:1")
        .build()
        .unwrap();
    let _: (Api, ApiApi, ApiAllNamespacesApi) = (
        Api::new(client.clone()),
        ApiApi::namespaced(&client, "n"),
        ApiApi::all_namespaces(&client),
    );
    let v = json!({"apiVersion": "example.net/v1", "kind": "API", "metadata": {"name": "a"}, "spec": {"context": "/x"}});
    assert_eq!(round_trip::<API>(v.clone()), v);
}

/// A kind whose schema declares its own `metadata` properties gets ObjectMeta there (what the
/// server serves): labels and annotations it did not declare are kept.
#[test]
fn a_declared_metadata_object_is_object_meta() {
    use fixtures::constrained_metadata::example_com::v1::Gadget;
    let v = json!({"apiVersion": "example.com/v1", "kind": "Gadget",
        "metadata": {"name": "g", "labels": {"a": "b"}, "annotations": {"owner": "me", "x": "y"}},
        "spec": {"size": 3}});
    let g: Gadget = serde_json::from_value(v.clone()).unwrap();
    let meta: fixtures::constrained_metadata::meta::v1::ObjectMeta = g.metadata.clone().unwrap();
    assert_eq!(meta.labels.unwrap()["a"], "b");
    assert_eq!(round_trip::<Gadget>(v.clone()), v);
}

#[test]
fn schemas_named_like_prelude_types_do_not_shadow_them() {
    use fixtures::prelude_names::example::v1::{From_, Option_, Result_, StringMode, String_};
    let v = json!({"name": "a", "values": ["x"], "next": {"name": "b"},
        "string": {"value": "v", "mode": "B"}});
    let o: Option_ = serde_json::from_value(v.clone()).unwrap();
    // Fields are std's Option, String and Vec, not the schemas of the same name.
    let name: Option<String> = o.name.clone();
    let values: Option<Vec<String>> = o.values.clone();
    assert_eq!(
        (name.as_deref(), values.map(|v| v.len())),
        (Some("a"), Some(1))
    );
    let inner: Option<String_> = o.string.clone();
    assert_eq!(inner.and_then(|s| s.mode), Some(StringMode::B));
    assert_eq!(round_trip::<Option_>(v.clone()), v);
    assert_eq!(serde_json::to_value(Result_::Err).unwrap(), json!("Err"));
    assert_eq!(serde_json::to_value(From_::V2).unwrap(), json!(2));
}
