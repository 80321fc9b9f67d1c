//! What a shopper does with the widget, in WebDriver terms: find fields by
//! their `autocomplete` tokens (the contract of design.md), type, tab, click,
//! and read what the page shows.

use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use fantoccini::elements::Element;
use fantoccini::key::Key;
use fantoccini::{Client, Locator};
use serde_json::Value;

pub const NUMBER: &str = r#"input[autocomplete="cc-number"]"#;
pub const EXPIRY: &str = r#"input[autocomplete="cc-exp"]"#;
pub const CODE: &str = r#"input[autocomplete="cc-csc"]"#;
pub const NAME: &str = r#"input[autocomplete="cc-name"]"#;
pub const ADDRESS: &str = r#"input[autocomplete$="address-line1"]"#;
pub const CITY: &str = r#"input[autocomplete$="address-level2"]"#;
pub const STATE: &str = r#"input[autocomplete$="address-level1"]"#;
pub const ZIP: &str = r#"input[autocomplete$="postal-code"]"#;
pub const SAVED_CARDS: &str = r#"[data-testid="saved-cards"]"#;
pub const PAY: &str = r#"button[type="submit"]"#;

pub fn key(k: Key) -> String {
    char::from(k).to_string()
}

/// Switches to the top-level document (the widget iframe is one level deep;
/// leaving the top-level is a no-op per the WebDriver spec).
pub async fn top(c: &Client) -> Result<()> {
    c.clone().enter_parent_frame().await?;
    c.clone().enter_parent_frame().await?;
    Ok(())
}

/// Opens the storefront page and switches into the `index`-th widget iframe
/// once its card field is there.
pub async fn open_widget(c: &Client, url: &str, index: usize) -> Result<()> {
    c.goto(url).await?;
    enter_widget(c, index).await
}

pub async fn enter_widget(c: &Client, index: usize) -> Result<()> {
    top(c).await?;
    let frames = wait_for_all(c, "iframe", index + 1).await?;
    let frame = frames
        .into_iter()
        .nth(index)
        .context("widget iframe missing")?;
    frame.enter_frame().await?;
    // A new shopper sees the card number; a returning one the saved cards.
    c.wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css(&format!("{NUMBER}, {SAVED_CARDS}")))
        .await
        .context(
            "neither the card number field nor the saved cards rendered in the widget iframe",
        )?;
    Ok(())
}

async fn wait_for_all(c: &Client, css: &str, n: usize) -> Result<Vec<Element>> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let found = c.find_all(Locator::Css(css)).await?;
        if found.len() >= n {
            return Ok(found);
        }
        if Instant::now() > deadline {
            bail!("expected {n} × {css}, found {}", found.len());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

pub async fn field(c: &Client, css: &str) -> Result<Element> {
    c.find(Locator::Css(css))
        .await
        .with_context(|| format!("no element {css}"))
}

pub async fn type_into(c: &Client, css: &str, text: &str) -> Result<()> {
    let el = field(c, css).await?;
    el.click().await?;
    el.send_keys(text).await?;
    Ok(())
}

/// Clears a field the way a shopper would (select all, delete).
pub async fn clear(c: &Client, css: &str) -> Result<()> {
    let el = field(c, css).await?;
    el.click().await?;
    let ctrl_a = format!("{}a", key(Key::Control));
    el.send_keys(&ctrl_a).await?;
    el.send_keys(&key(Key::Control)).await?;
    el.send_keys(&key(Key::Backspace)).await?;
    Ok(())
}

pub async fn value(c: &Client, css: &str) -> Result<String> {
    Ok(field(c, css)
        .await?
        .prop("value")
        .await?
        .unwrap_or_default())
}

pub async fn attr(c: &Client, css: &str, name: &str) -> Result<Option<String>> {
    Ok(field(c, css).await?.attr(name).await?)
}

/// Waits until `attr` of `css` equals `want` (the widget updates the DOM
/// asynchronously).
pub async fn wait_attr(c: &Client, css: &str, name: &str, want: &str) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let got = attr(c, css, name).await?;
        if got.as_deref() == Some(want) {
            return Ok(());
        }
        if Instant::now() > deadline {
            bail!("{css} [{name}] is {got:?}, expected {want:?}");
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// Text of the element named by the field's `aria-describedby`.
pub async fn message_for(c: &Client, css: &str) -> Result<String> {
    let ids = attr(c, css, "aria-describedby")
        .await?
        .with_context(|| format!("{css} has no aria-describedby"))?;
    let mut text = String::new();
    for id in ids.split_whitespace() {
        if let Ok(el) = c.find(Locator::Id(id)).await {
            text.push_str(&el.text().await?);
            text.push(' ');
        }
    }
    Ok(text.trim().to_string())
}

/// Fills a new card with the billing address (ZIP given) and the shopper name.
pub async fn fill_card(
    c: &Client,
    number: &str,
    expiry: &str,
    code: &str,
    zip: &str,
) -> Result<()> {
    type_into(c, NUMBER, number).await?;
    type_into(c, EXPIRY, expiry).await?;
    type_into(c, CODE, code).await?;
    if c.find(Locator::Css(NAME)).await.is_ok() {
        type_into(c, NAME, "Ada Lovelace").await?;
    }
    if c.find(Locator::Css(ADDRESS)).await.is_ok() {
        type_into(c, ADDRESS, "1 Main Street").await?;
        type_into(c, CITY, "Bellevue").await?;
        type_into(c, STATE, "WA").await?;
        type_into(c, ZIP, zip).await?;
    }
    Ok(())
}

pub async fn click_pay(c: &Client) -> Result<()> {
    field(c, PAY).await?.click().await?;
    Ok(())
}

/// The widget's result region text (`[data-result]`).
pub async fn result_text(c: &Client) -> Result<String> {
    let els = c.find_all(Locator::Css("[data-result]")).await?;
    let mut out = String::new();
    for e in els {
        out.push_str(&e.text().await.unwrap_or_default());
        out.push(' ');
    }
    Ok(out.trim().to_string())
}

/// Events the loader dispatched on the merchant page so far (switches to the
/// top document and back into widget `index`).
pub async fn events(c: &Client) -> Result<Vec<Value>> {
    top(c).await?;
    let v = c.execute("return window.anetEvents || [];", vec![]).await?;
    Ok(v.as_array().cloned().unwrap_or_default())
}

/// Waits (in the top document) for an event of `kind` (`anet:approved`, …),
/// then stays in the top document.
pub async fn wait_event(c: &Client, kind: &str) -> Result<Value> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let evs = events(c).await?;
        if let Some(e) = evs.iter().find(|e| e["type"] == kind) {
            return Ok(e.clone());
        }
        if Instant::now() > deadline {
            bail!("no {kind} event; events so far: {evs:?}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Reads the relay's HTTP request counter for one route from `/metrics`.
pub fn count_route(metrics: &str, route: &str) -> u64 {
    metrics
        .lines()
        .filter(|l| !l.starts_with('#') && l.contains(&format!("route=\"{route}\"")))
        .filter(|l| {
            l.split_whitespace()
                .next()
                .is_some_and(|n| n.ends_with("_total"))
        })
        .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
        .sum::<f64>() as u64
}
