//! End to end in a real browser: a merchant storefront (its own origin), the
//! relay with its embedded sandbox and a fresh SQLite file, and headless
//! Chromium driven through ChromeDriver, acting as a shopper would.
//!
//! Every scenario saves a screenshot of its end state under the artifacts
//! folder (`target/e2e-artifacts` unless `ANET_E2E_ARTIFACTS` says otherwise);
//! a failing one also saves the page source and the browser console log.

use std::time::Instant;

use anyhow::{Context, Result, ensure};
use checkout_e2e::shopper::{self, *};
use checkout_e2e::{Browser, TestRelay};
use fantoccini::Client;
use fantoccini::key::Key;
use reqwest::Method;
use serde_json::{Value, json};

const VISA: &str = "4111111111111111";
const AMEX: &str = "370000000000002";
const GOOD_ZIP: &str = "98004";
/// Sandbox ZIP trigger: general decline (reason 2).
const DECLINE_ZIP: &str = "46282";
/// Sandbox ZIP trigger: AVS result A (street matches, ZIP does not); the
/// relay's embedded sandbox declines on A and N like a merchant's AVS filter.
const AVS_ZIP_MISMATCH: &str = "46201";
/// Sandbox card-code trigger: result N (does not match).
const CODE_MISMATCH: &str = "901";

fn session_body(amount: &str) -> Value {
    json!({
        "amount": amount,
        "description": "E2E order",
        "require_avs": true,
        "require_card_code": true,
    })
}

/// Runs one scenario with its own relay, storefront and browser; saves the
/// end-state screenshot, and on failure the page source and console log.
async fn scenario(
    name: &str,
    f: impl AsyncFnOnce(&TestRelay, &Client) -> Result<()>,
) -> Result<()> {
    let started = Instant::now();
    checkout_e2e::leaks::capture_logs();
    let relay = TestRelay::start().await?;
    let browser = Browser::start().await?;
    let result = f(&relay, &browser.client).await;
    if result.is_err() {
        let _ = browser.dump(&format!("{name}.failure")).await;
        if let Ok(ledger) = relay.ledger().await {
            let path = checkout_e2e::artifacts_dir().join(format!("{name}.failure.ledger.json"));
            let _ = std::fs::write(
                path,
                serde_json::to_string_pretty(&ledger).unwrap_or_default(),
            );
        }
    } else {
        let _ = shopper::top(&browser.client).await;
        let _ = browser.screenshot(name).await;
    }
    eprintln!("scenario {name}: {:.1}s", started.elapsed().as_secs_f64());
    let _ = browser.close().await;
    result?;
    // Whatever happened, no full card number reached a log line or the database.
    checkout_e2e::leaks::assert_no_card_data(&relay.db_path, &[VISA, AMEX])
}

async fn ledger_charges(relay: &TestRelay) -> Result<Vec<Value>> {
    Ok(relay
        .ledger()
        .await?
        .into_iter()
        .filter(|t| t["state"] != "declined")
        .collect())
}

#[tokio::test(flavor = "multi_thread")]
async fn new_card_is_approved_and_reported_to_the_page() -> Result<()> {
    scenario("01-new-card-approved", async |relay, c| {
        let s = relay.create_session(session_body("25.00")).await?;
        open_widget(c, &relay.shop_page(&s.client_token, ""), 0).await?;
        fill_card(c, VISA, "12/30", "123", GOOD_ZIP).await?;
        ensure!(
            attr(c, NUMBER, "data-brand").await?.as_deref() == Some("visa"),
            "brand not detected"
        );
        click_pay(c).await?;
        let ev = wait_event(c, "anet:approved").await?;
        let tx = ev["detail"]["transaction_id"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        ensure!(
            !tx.is_empty() && tx != "0",
            "approved event without a transaction id: {ev}"
        );
        ensure!(ev["detail"]["last4"] == "1111", "last4 in detail: {ev}");
        let view = relay.session(&s.id).await?;
        ensure!(
            serde_json::to_value(view.status)? == "approved",
            "merchant API says {:?}",
            view.status
        );
        ensure!(view.transaction_id.as_deref() == Some(tx.as_str()));
        let charges = ledger_charges(relay).await?;
        ensure!(charges.len() == 1, "sandbox ledger: {charges:?}");
        ensure!(charges[0]["amount"] == "25.00" || charges[0]["amount"] == 25.0);
        Ok(())
    })
    .await
}

#[tokio::test(flavor = "multi_thread")]
async fn invalid_fields_are_flagged_and_nothing_is_sent() -> Result<()> {
    scenario("02-validation-before-sending", async |relay, c| {
        let s = relay.create_session(session_body("10.00")).await?;
        open_widget(c, &relay.shop_page(&s.client_token, ""), 0).await?;
        // Luhn failure.
        type_into(c, NUMBER, "4111111111111112").await?;
        type_into(c, EXPIRY, "01/20").await?; // moving on blurs the number
        wait_attr(c, NUMBER, "aria-invalid", "true").await?;
        ensure!(
            !message_for(c, NUMBER).await?.is_empty(),
            "no message at the number"
        );
        type_into(c, CODE, "123").await?; // blurs the expiry: in the past
        wait_attr(c, EXPIRY, "aria-invalid", "true").await?;
        ensure!(
            !message_for(c, EXPIRY).await?.is_empty(),
            "no message at the expiry"
        );
        // An Amex with a 3-digit code.
        clear(c, NUMBER).await?;
        type_into(c, NUMBER, AMEX).await?;
        ensure!(attr(c, NUMBER, "data-brand").await?.as_deref() == Some("amex"));
        type_into(c, EXPIRY, "").await?;
        wait_attr(c, NUMBER, "aria-invalid", "false").await?;
        wait_attr(c, CODE, "aria-invalid", "true").await?;
        click_pay(c).await?;
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        let metrics = relay.metrics_text().await?;
        ensure!(
            count_route(&metrics, "/widget/v1/session/pay") == 0,
            "a pay request reached the relay"
        );
        ensure!(
            relay.ledger().await?.is_empty(),
            "the sandbox saw a transaction"
        );
        Ok(())
    })
    .await
}

#[tokio::test(flavor = "multi_thread")]
async fn declines_point_at_the_field_to_blame_and_the_shopper_can_correct() -> Result<()> {
    scenario("03-declines-mapped-to-fields", async |relay, c| {
        let s = relay.create_session(session_body("31.00")).await?;
        open_widget(c, &relay.shop_page(&s.client_token, ""), 0).await?;
        // AVS mismatch → the ZIP is blamed.
        fill_card(c, VISA, "12/30", "123", AVS_ZIP_MISMATCH).await?;
        click_pay(c).await?;
        top(c).await?;
        wait_event(c, "anet:declined").await?;
        enter_widget(c, 0).await?;
        wait_attr(c, ZIP, "aria-invalid", "true").await?;
        ensure!(
            !message_for(c, ZIP).await?.is_empty(),
            "no decline message at the ZIP"
        );

        // Card code mismatch → the code is blamed.
        clear(c, ZIP).await?;
        type_into(c, ZIP, GOOD_ZIP).await?;
        clear(c, CODE).await?;
        type_into(c, CODE, CODE_MISMATCH).await?;
        click_pay(c).await?;
        wait_attr(c, CODE, "aria-invalid", "true").await?;
        ensure!(
            !message_for(c, CODE).await?.is_empty(),
            "no decline message at the code"
        );

        // General decline → a page-level message.
        clear(c, CODE).await?;
        type_into(c, CODE, "123").await?;
        clear(c, ZIP).await?;
        type_into(c, ZIP, DECLINE_ZIP).await?;
        click_pay(c).await?;
        let deadline = Instant::now() + std::time::Duration::from_secs(10);
        loop {
            let text = result_text(c).await?;
            if !text.is_empty() && !text.contains('$') {
                break;
            }
            ensure!(Instant::now() < deadline, "no page-level decline message");
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }

        // Corrected: approved.
        clear(c, ZIP).await?;
        type_into(c, ZIP, GOOD_ZIP).await?;
        click_pay(c).await?;
        wait_event(c, "anet:approved").await?;
        let charges = ledger_charges(relay).await?;
        ensure!(
            charges.len() == 1,
            "exactly one approved charge: {charges:?}"
        );
        Ok(())
    })
    .await
}

#[tokio::test(flavor = "multi_thread")]
async fn saved_card_is_offered_to_the_returning_shopper_and_can_be_removed() -> Result<()> {
    scenario("04-save-and-return", async |relay, c| {
        let body = |amount: &str| {
            json!({
                "amount": amount, "shopper_reference": "alice",
                "shopper_email": "alice@example.com", "offer_save": true,
                "require_avs": true, "require_card_code": true,
            })
        };
        let s1 = relay.create_session(body("12.00")).await?;
        open_widget(c, &relay.shop_page(&s1.client_token, ""), 0).await?;
        fill_card(c, VISA, "12/30", "123", GOOD_ZIP).await?;
        let save = field(c, r#"input[type="checkbox"]"#).await?;
        save.click().await?;
        click_pay(c).await?;
        wait_event(c, "anet:approved").await?;

        let (status, methods) = relay
            .merchant(Method::GET, "/v1/shoppers/alice/payment-methods", None)
            .await?;
        ensure!(status == 200, "list payment methods: {status} {methods}");
        let list = methods
            .as_array()
            .or_else(|| methods["payment_methods"].as_array())
            .cloned()
            .unwrap_or_default();
        ensure!(
            list.len() == 1 && list[0]["last4"] == "1111",
            "saved: {methods}"
        );
        let pm_id = list[0]["id"]
            .as_str()
            .context("payment method id")?
            .to_string();

        // Returning: the saved card is listed and pays (code asked again).
        let s2 = relay.create_session(body("13.00")).await?;
        open_widget(c, &relay.shop_page(&s2.client_token, ""), 0).await?;
        let saved = c
            .find(fantoccini::Locator::Css(r#"[data-testid="saved-cards"]"#))
            .await
            .context("no saved-card picker for the returning shopper")?;
        ensure!(saved.text().await?.contains("1111"), "saved card not shown");
        type_into(c, CODE, "123").await?;
        click_pay(c).await?;
        wait_event(c, "anet:approved").await?;
        let view = relay.session(&s2.id).await?;
        ensure!(view.last4.as_deref() == Some("1111"));

        // Deleted through the merchant API: gone from the next session.
        let (status, _) = relay
            .merchant(
                Method::DELETE,
                &format!("/v1/shoppers/alice/payment-methods/{pm_id}"),
                None,
            )
            .await?;
        ensure!(status == 200 || status == 204, "delete: {status}");
        let s3 = relay.create_session(body("14.00")).await?;
        open_widget(c, &relay.shop_page(&s3.client_token, ""), 0).await?;
        let picker = c
            .find_all(fantoccini::Locator::Css(r#"[data-testid="saved-cards"]"#))
            .await?;
        for p in picker {
            ensure!(
                !p.text().await?.contains("1111"),
                "deleted card still offered"
            );
        }
        Ok(())
    })
    .await
}

#[tokio::test(flavor = "multi_thread")]
async fn auth_only_then_partial_capture_then_refund_after_settlement() -> Result<()> {
    scenario("05-auth-capture-refund", async |relay, c| {
        let mut body = session_body("40.00");
        body["mode"] = json!("auth_only");
        let s = relay.create_session(body).await?;
        open_widget(c, &relay.shop_page(&s.client_token, ""), 0).await?;
        fill_card(c, VISA, "12/30", "123", GOOD_ZIP).await?;
        click_pay(c).await?;
        wait_event(c, "anet:approved").await?;
        let view = relay.session(&s.id).await?;
        ensure!(
            serde_json::to_value(view.status)? == "authorized",
            "{view:?}"
        );

        let (st, cap) = relay
            .merchant(
                Method::POST,
                &format!("/v1/sessions/{}/capture", s.id),
                Some(json!({"amount": "30.00"})),
            )
            .await?;
        ensure!(st == 200, "capture: {st} {cap}");
        relay.sandbox_post("/_sandbox/settle", json!({})).await?;
        let (st, refund) = relay
            .merchant(
                Method::POST,
                &format!("/v1/sessions/{}/refunds", s.id),
                Some(json!({"amount": "10.00"})),
            )
            .await?;
        ensure!(st == 200 || st == 201, "refund: {st} {refund}");
        let view = relay.session(&s.id).await?;
        ensure!(view.amount_captured.to_string() == "30.00", "{view:?}");
        ensure!(view.amount_refunded.to_string() == "10.00", "{view:?}");
        Ok(())
    })
    .await
}

#[tokio::test(flavor = "multi_thread")]
async fn double_click_and_double_enter_charge_once_even_when_the_connection_drops() -> Result<()> {
    scenario("06-no-double-charge", async |relay, c| {
        let s = relay.create_session(session_body("18.00")).await?;
        open_widget(c, &relay.shop_page(&s.client_token, ""), 0).await?;
        fill_card(c, VISA, "12/30", "123", GOOD_ZIP).await?;
        let pay = field(c, PAY).await?;
        // Double click, then Enter twice in the ZIP field.
        let _ = c
            .execute(
                "var b = document.querySelector('button[type=submit]'); b.click(); b.click();",
                vec![],
            )
            .await?;
        let _ = pay.click().await;
        let zip = field(c, ZIP).await?;
        let _ = zip.send_keys(&shopper::key(Key::Enter)).await;
        let _ = zip.send_keys(&shopper::key(Key::Enter)).await;
        wait_event(c, "anet:approved").await?;
        let charges = ledger_charges(relay).await?;
        ensure!(
            charges.len() == 1,
            "ledger after double submit: {charges:?}"
        );

        // The gateway commits, then the connection drops before the answer.
        relay
            .sandbox_post(
                "/_sandbox/faults",
                json!({"endpoint": "aim", "kind": "close_after_commit", "count": 1}),
            )
            .await?;
        let s2 = relay.create_session(session_body("19.00")).await?;
        open_widget(c, &relay.shop_page(&s2.client_token, ""), 0).await?;
        fill_card(c, VISA, "12/30", "123", GOOD_ZIP).await?;
        click_pay(c).await?;
        wait_event(c, "anet:approved").await?;
        let approved = events(c)
            .await?
            .iter()
            .filter(|e| e["type"] == "anet:approved")
            .count();
        ensure!(approved == 1, "approved events: {approved}");
        let charges: Vec<Value> = ledger_charges(relay)
            .await?
            .into_iter()
            .filter(|t| t["amount"] == "19.00" || t["amount"] == 19.0)
            .collect();
        ensure!(
            charges.len() == 1,
            "one charge after the dropped connection: {charges:?}"
        );
        let view = relay.session(&s2.id).await?;
        ensure!(serde_json::to_value(view.status)? == "approved", "{view:?}");
        Ok(())
    })
    .await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_payment_can_be_completed_with_the_keyboard_alone() -> Result<()> {
    scenario("07-keyboard-only", async |relay, c| {
        let s = relay.create_session(session_body("9.99")).await?;
        open_widget(c, &relay.shop_page(&s.client_token, ""), 0).await?;
        // Focus the first field by script (the shopper tabbing into the
        // iframe), then only keys: type, Tab, type, …, Enter.
        c.execute(
            "document.querySelector('input[autocomplete=\"cc-number\"]').focus();",
            vec![],
        )
        .await?;
        let tab = shopper::key(Key::Tab);
        let mut keys = String::new();
        for (css, text) in [
            (NUMBER, VISA),
            (EXPIRY, "1230"),
            (CODE, "123"),
            (NAME, "Ada Lovelace"),
            (ADDRESS, "1 Main Street"),
            (CITY, "Bellevue"),
            (STATE, "WA"),
            (ZIP, GOOD_ZIP),
        ] {
            // Type into whatever has focus; check the focus order matches.
            let active = c.active_element().await?;
            let ac = active.attr("autocomplete").await?.unwrap_or_default();
            let want = css.split('"').nth(1).unwrap_or_default();
            ensure!(
                ac.ends_with(want),
                "focus order: expected {want}, focus is on {ac:?}"
            );
            active.send_keys(text).await?;
            active.send_keys(&tab).await?;
            keys.push_str(text);
        }
        // Country may follow the ZIP; Enter submits the form from any field.
        let active = c.active_element().await?;
        active.send_keys(&shopper::key(Key::Enter)).await?;
        wait_event(c, "anet:approved").await?;
        Ok(())
    })
    .await
}

/// axe-core (npm), injected into the widget iframe through WebDriver.
async fn axe_serious_violations(c: &Client) -> Result<Vec<Value>> {
    let axe_path = std::env::var("ANET_AXE_JS").unwrap_or_else(|_| {
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../target/tools/npm/node_modules/axe-core/axe.min.js"
        )
        .to_string()
    });
    let axe = std::fs::read_to_string(&axe_path).with_context(|| {
        format!("axe-core not found at {axe_path} (cargo xtask setup installs it)")
    })?;
    c.execute(&axe, vec![]).await?;
    let result = c
        .execute_async(
            "var done = arguments[arguments.length - 1];\
             axe.run(document, {resultTypes: ['violations']}).then(function (r) { done(r.violations); })\
               .catch(function (e) { done([{id: 'axe-error', impact: 'critical', help: String(e)}]); });",
            vec![],
        )
        .await?;
    Ok(result
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .filter(|v| v["impact"] == "serious" || v["impact"] == "critical")
        .collect())
}

#[tokio::test(flavor = "multi_thread")]
async fn the_widget_has_no_serious_accessibility_violations() -> Result<()> {
    scenario("08-accessibility", async |relay, c| {
        // Empty state.
        let s = relay.create_session(session_body("5.00")).await?;
        open_widget(c, &relay.shop_page(&s.client_token, ""), 0).await?;
        let v = axe_serious_violations(c).await?;
        ensure!(v.is_empty(), "empty state: {v:#?}");
        // Error state.
        click_pay(c).await?;
        wait_attr(c, NUMBER, "aria-invalid", "true").await?;
        let v = axe_serious_violations(c).await?;
        ensure!(v.is_empty(), "error state: {v:#?}");
        // Saved-card state.
        let body = json!({"amount": "6.00", "shopper_reference": "bob", "offer_save": true});
        let s1 = relay.create_session(body.clone()).await?;
        open_widget(c, &relay.shop_page(&s1.client_token, ""), 0).await?;
        fill_card(c, VISA, "12/30", "123", GOOD_ZIP).await?;
        field(c, r#"input[type="checkbox"]"#).await?.click().await?;
        click_pay(c).await?;
        wait_event(c, "anet:approved").await?;
        let mut body2 = body;
        body2["amount"] = json!("7.00");
        let s2 = relay.create_session(body2).await?;
        open_widget(c, &relay.shop_page(&s2.client_token, ""), 0).await?;
        let v = axe_serious_violations(c).await?;
        ensure!(v.is_empty(), "saved-card state: {v:#?}");
        Ok(())
    })
    .await
}

#[tokio::test(flavor = "multi_thread")]
async fn the_widget_runs_under_the_strict_csp_without_console_errors() -> Result<()> {
    scenario("09-csp", async |relay, c| {
        let s = relay.create_session(session_body("8.00")).await?;
        let r = reqwest::get(format!("{}/widget/?session={}", relay.url, s.client_token)).await?;
        let csp = r
            .headers()
            .get("content-security-policy")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        ensure!(
            csp.contains("script-src 'self' 'wasm-unsafe-eval'"),
            "CSP: {csp}"
        );
        ensure!(!csp.contains("unsafe-inline"), "CSP allows inline: {csp}");
        ensure!(csp.contains("frame-ancestors"), "CSP: {csp}");
        open_widget(c, &relay.shop_page(&s.client_token, ""), 0).await?;
        type_into(c, NUMBER, VISA).await?;
        let browser_log = checkout_e2e::browser::console_log(c).await?;
        let errors: Vec<&Value> = browser_log
            .iter()
            .filter(|e| e["level"] == "SEVERE")
            // The favicon is the storefront's business, not ours.
            .filter(|e| {
                !e["message"]
                    .as_str()
                    .unwrap_or_default()
                    .contains("favicon")
            })
            .collect();
        ensure!(errors.is_empty(), "console errors: {errors:#?}");
        Ok(())
    })
    .await
}

#[tokio::test(flavor = "multi_thread")]
async fn two_widgets_on_one_page_do_not_interfere() -> Result<()> {
    scenario("10-two-widgets", async |relay, c| {
        let a = relay.create_session(session_body("11.00")).await?;
        let b = relay.create_session(session_body("22.00")).await?;
        let url = relay.shop_page(&a.client_token, &format!("token2={}", b.client_token));
        open_widget(c, &url, 1).await?;
        fill_card(c, VISA, "12/30", "123", GOOD_ZIP).await?;
        click_pay(c).await?;
        let ev = wait_event(c, "anet:approved").await?;
        ensure!(
            ev["target"] == "checkout2",
            "event on the wrong target: {ev}"
        );
        ensure!(ev["detail"]["session"] == b.client_token.as_str(), "{ev}");
        // The first widget is untouched and still works.
        enter_widget(c, 0).await?;
        ensure!(
            value(c, NUMBER).await?.is_empty(),
            "first widget got the typing"
        );
        fill_card(c, AMEX, "12/30", "1234", GOOD_ZIP).await?;
        click_pay(c).await?;
        let deadline = Instant::now() + std::time::Duration::from_secs(20);
        loop {
            let evs = events(c).await?;
            let approved: Vec<&Value> = evs
                .iter()
                .filter(|e| e["type"] == "anet:approved")
                .collect();
            if approved.len() == 2 {
                ensure!(approved.iter().any(|e| e["target"] == "checkout"));
                break;
            }
            ensure!(
                Instant::now() < deadline,
                "second approval missing: {evs:?}"
            );
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        ensure!(serde_json::to_value(relay.session(&a.id).await?.status)? == "approved");
        ensure!(serde_json::to_value(relay.session(&b.id).await?.status)? == "approved");
        Ok(())
    })
    .await
}

#[tokio::test(flavor = "multi_thread")]
async fn the_demo_storefront_loads_the_release_bundle_and_the_card_field_accepts_input()
-> Result<()> {
    // A build can report success and still render a blank page (a bad
    // wasm-opt does exactly that): load the release bundle as the relay serves
    // it, through the relay's own demo page.
    scenario("00-demo-release-bundle", async |relay, c| {
        c.goto(&format!("{}/", relay.url)).await?;
        enter_widget(c, 0).await?;
        type_into(c, NUMBER, "4111 1111").await?;
        let v = value(c, NUMBER).await?;
        ensure!(v.replace(' ', "") == "41111111", "card field shows {v:?}");
        ensure!(attr(c, NUMBER, "data-brand").await?.as_deref() == Some("visa"));
        Ok(())
    })
    .await
}
