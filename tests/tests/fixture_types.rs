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
    let v = json!({"apiVersion": "example.com/v1alpha1", "kind": "Blob",
        "spec": {"raw": {"any": [1, {"thing": true}]}, "open": {"known": "k", "unknown": {"deep": 1}}}});
    assert_eq!(
        round_trip::<preserve_unknown_fields::example_com::v1alpha1::Blob>(v.clone()),
        v
    );
    let v = json!({"target": 8080, "maxUnavailable": "25%", "ref": "http"});
    assert_eq!(round_trip::<int_or_string::example::v1::Port>(v.clone()), v);
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
