//! authentication.k8s.io/v1 against the real kube-apiserver (tests/src/apiserver.rs): a
//! service account's token from TokenRequest (`serviceaccounts/{name}/token`) is what
//! TokenReview says it is, a made-up token is not, and SelfSubjectReview tells each caller
//! who it is.

use generated::authentication_k8s_io::v1 as authn;
use tests::apiserver::{namespace, plain, shared, Identity};

#[tokio::test]
async fn token_request_token_is_reviewed_as_its_service_account() {
    let cluster = shared();
    let admin = cluster.client(Identity::Admin).unwrap();
    let ns = namespace(&admin, "authn").await;
    let (status, sa) = plain(
        &admin,
        "POST",
        &format!("/api/v1/namespaces/{ns}/serviceaccounts"),
        Some(serde_json::json!({"metadata": {"name": "robot"}})),
    )
    .await;
    assert_eq!(status, 201, "{sa}");
    let sa_uid = sa["metadata"]["uid"].as_str().unwrap().to_string();

    let request = authn::TokenRequest {
        spec: authn::TokenRequestSpec {
            audiences: vec!["kube-codegen-test".into()],
            expiration_seconds: Some(600),
            ..Default::default()
        },
        ..Default::default()
    };
    let issued = generated::core::v1::ServiceAccountApi::namespaced(&admin, &ns)
        .create_token("robot", &request, &Default::default())
        .await
        .unwrap();
    let status = issued.status.expect("the server fills status");
    assert!(!status.token.is_empty());
    // The server may shorten the lifetime, never extend it beyond what was asked.
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let lifetime = status.expiration_timestamp.0.as_second() - now;
    assert!((0..=610).contains(&lifetime), "expires in {lifetime} s");

    let api = authn::TokenReviewApi::new(&admin);
    let review = |token: String, audiences: Vec<String>| authn::TokenReview {
        spec: authn::TokenReviewSpec {
            token: Some(token),
            audiences: Some(audiences),
        },
        ..Default::default()
    };
    let reviewed = api
        .create(
            &review(status.token.clone(), vec!["kube-codegen-test".into()]),
            &Default::default(),
        )
        .await
        .unwrap()
        .status
        .unwrap();
    assert_eq!(reviewed.authenticated, Some(true), "{reviewed:?}");
    let user = reviewed.user.unwrap();
    assert_eq!(
        user.username.as_deref(),
        Some(format!("system:serviceaccount:{ns}:robot").as_str())
    );
    assert_eq!(user.uid.as_deref(), Some(sa_uid.as_str()));
    let groups = user.groups.unwrap_or_default();
    for g in [
        "system:serviceaccounts".to_string(),
        format!("system:serviceaccounts:{ns}"),
        "system:authenticated".to_string(),
    ] {
        assert!(groups.contains(&g), "{g} missing from {groups:?}");
    }
    assert_eq!(
        reviewed.audiences,
        Some(vec!["kube-codegen-test".to_string()])
    );

    // The same token for an audience it was not issued for, and a made-up token.
    for (token, audiences) in [
        (status.token.clone(), vec!["someone-else".to_string()]),
        (
            "not-a-token".to_string(),
            vec!["kube-codegen-test".to_string()],
        ),
    ] {
        let reviewed = api
            .create(&review(token, audiences), &Default::default())
            .await
            .unwrap()
            .status
            .unwrap();
        assert_ne!(reviewed.authenticated, Some(true), "{reviewed:?}");
        assert!(reviewed.user.is_none_or(|u| u.username.is_none()));
    }
}

#[tokio::test]
async fn self_subject_review_answers_for_each_caller() {
    let cluster = shared();
    for (who, name, group) in [
        (Identity::Admin, "admin", Some("system:masters")),
        (Identity::User, "user", None),
    ] {
        let api = authn::SelfSubjectReviewApi::new(&cluster.client(who).unwrap());
        let review = api
            .create(&Default::default(), &Default::default())
            .await
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let info = review.status.unwrap().user_info.unwrap();
        assert_eq!(info.username.as_deref(), Some(name));
        assert_eq!(info.uid.as_deref(), Some(format!("{name}-uid").as_str()));
        let groups = info.groups.unwrap_or_default();
        assert!(
            groups.contains(&"system:authenticated".to_string()),
            "{groups:?}"
        );
        if let Some(g) = group {
            assert!(groups.contains(&g.to_string()), "{groups:?}");
        } else {
            assert!(!groups.contains(&"system:masters".to_string()));
        }
    }
}

/// Our sans-io requests are plain `http::Request`s: kube-rs's client carries them as they are.
#[tokio::test]
async fn kube_client_carries_our_sans_io_requests() {
    let cluster = shared();
    let kubeconfig = kube::config::Kubeconfig::from_yaml(&cluster.kubeconfig()).unwrap();
    let config = kube::Config::from_custom_kubeconfig(kubeconfig, &Default::default())
        .await
        .unwrap();
    let client = kube::Client::try_from(config).unwrap();
    let req = authn::requests::create_self_subject_review(&Default::default(), &Default::default())
        .unwrap();
    let review: authn::SelfSubjectReview = client.request(req).await.unwrap();
    let info = review.status.unwrap().user_info.unwrap();
    assert_eq!(info.username.as_deref(), Some("admin"));
}
