//! The CIM wallet: after an approved charge with "save", store the card (and
//! shipping address) in the shopper's customer profile. Runs after the charge
//! is recorded, so a CIM failure never undoes or hides an approved payment;
//! its outcome is kept on the session (`save_outcome`) and in the audit log.

use authnet_proto::api::{
    ApiRequest, ApiResponse, CreateCustomerPaymentProfileRequest, CreateCustomerProfileRequest,
    CreateCustomerShippingAddressRequest, CreditCard, CustomerAddress, CustomerProfile,
    CustomerType, GetCustomerProfileRequest, NumericString, Payment, PaymentProfile, SecretText,
};
use checkout_domain::{BillingAddress, ValidCard};

use super::Shipping;
use crate::AppState;
use crate::storage::{AddressRow, CardRow, SessionRow, new_id, now};

/// Shopper-safe explanations of what happened to "save this card".
pub const SAVED: &str = "saved";
pub const CARD_LIMIT: &str =
    "card_limit: this shopper already has 10 saved cards; remove one to save another";
pub const ADDRESS_LIMIT: &str =
    "address_limit: this shopper already has 100 saved addresses; remove one to save another";

#[derive(Debug)]
enum WalletError {
    Limit(&'static str),
    Gateway(String),
}

fn customer_address(a: &BillingAddress) -> CustomerAddress {
    CustomerAddress {
        first_name: a.first_name.clone(),
        last_name: a.last_name.clone(),
        company: a.company.clone(),
        address: a.address.clone(),
        city: a.city.clone(),
        state: a.state.clone(),
        zip: a.zip.clone(),
        country: a.country.clone(),
        phone_number: a.phone.clone(),
        ..CustomerAddress::default()
    }
}

fn payment_profile(card: &ValidCard) -> PaymentProfile {
    PaymentProfile {
        customer_type: Some(CustomerType::Individual),
        bill_to: Some(customer_address(&card.billing)),
        payment: Some(Payment {
            credit_card: Some(CreditCard {
                card_number: SecretText::new(card.number.expose_digits()),
                expiration_date: card.expiry.to_xml(),
                card_code: None,
            }),
            ..Payment::default()
        }),
        ..PaymentProfile::default()
    }
}

fn first_message(resp: &ApiResponse) -> (String, String) {
    let m = resp.messages();
    (
        m.first_code().unwrap_or("E00001").to_owned(),
        m.message
            .first()
            .map(|m| m.text.clone())
            .unwrap_or_default(),
    )
}

/// `A duplicate record with ID 1234 already exists.` → `1234`.
pub fn id_in_text(text: &str) -> Option<String> {
    text.split(|c: char| !c.is_ascii_digit())
        .find(|t| !t.is_empty() && t.len() <= 20)
        .map(str::to_owned)
}

fn numeric(s: &str) -> Result<NumericString, WalletError> {
    NumericString::new(s).ok_or_else(|| WalletError::Gateway(format!("bad id {s:?}")))
}

async fn call(state: &AppState, req: ApiRequest) -> Result<ApiResponse, WalletError> {
    state
        .gateway
        .api(&req)
        .await
        .map_err(|e| WalletError::Gateway(e.to_string()))
}

/// Saves the card (and a new shipping address) for the session's shopper.
/// Returns the outcome text stored on the session.
pub async fn save_card(
    state: &AppState,
    s: &SessionRow,
    card: &ValidCard,
    shipping: Option<&Shipping>,
) -> String {
    let Some(reference) = s.shopper_reference.clone() else {
        return "skipped: no shopper reference".into();
    };
    let result = save_card_inner(state, s, &reference, card, shipping).await;
    report(state, s, "card", result).await
}

/// Saves only a new shipping address (a returning shopper paying with a saved card).
pub async fn save_address_only(state: &AppState, s: &SessionRow, addr: &BillingAddress) -> String {
    let Some(reference) = s.shopper_reference.clone() else {
        return "skipped: no shopper reference".into();
    };
    let result = async {
        let shopper = state
            .db
            .get_shopper(&reference)
            .await
            .map_err(|e| WalletError::Gateway(e.to_string()))?
            .ok_or(WalletError::Gateway("unknown shopper".into()))?;
        add_address(state, &reference, &shopper.customer_profile_id, addr).await
    }
    .await;
    report(state, s, "address", result).await
}

async fn report(
    state: &AppState,
    s: &SessionRow,
    what: &str,
    result: Result<(), WalletError>,
) -> String {
    let outcome = match result {
        Ok(()) => {
            state.metrics.saved(what, "saved");
            SAVED.to_owned()
        }
        Err(WalletError::Limit(m)) => {
            state.metrics.saved(what, "limit");
            m.to_owned()
        }
        Err(WalletError::Gateway(m)) => {
            state.metrics.saved(what, "failed");
            tracing::warn!(session = %s.id, error = %m, "saving to the CIM wallet failed");
            "failed: the card was charged but could not be saved".to_owned()
        }
    };
    let _ = state
        .db
        .audit(Some(&s.id), "relay", &format!("wallet.{what}"), &outcome)
        .await;
    outcome
}

async fn save_card_inner(
    state: &AppState,
    s: &SessionRow,
    reference: &str,
    card: &ValidCard,
    shipping: Option<&Shipping>,
) -> Result<(), WalletError> {
    let db_err = |e: sqlx::Error| WalletError::Gateway(e.to_string());
    let new_address = match shipping {
        Some(Shipping::New(a)) => Some(a),
        _ => None,
    };
    let existing = state.db.get_shopper(reference).await.map_err(db_err)?;
    let profile_id = match existing {
        Some(sh) => sh.customer_profile_id,
        None => {
            // One call creates the profile with the card and address.
            let req = ApiRequest::CreateCustomerProfile(CreateCustomerProfileRequest {
                merchant_authentication: state.gateway.merchant_authentication(),
                profile: CustomerProfile {
                    merchant_customer_id: Some(reference.to_owned()),
                    email: s.shopper_email.clone(),
                    payment_profiles: vec![payment_profile(card)],
                    ship_to_list: new_address.map(customer_address).into_iter().collect(),
                    ..CustomerProfile::default()
                },
                ..CreateCustomerProfileRequest::default()
            });
            let resp = call(state, req).await?;
            match (&resp, first_message(&resp)) {
                (ApiResponse::CreateCustomerProfile(r), _) if r.messages.is_ok() => {
                    let pid = r
                        .customer_profile_id
                        .as_ref()
                        .map(|p| p.as_str().to_owned())
                        .ok_or(WalletError::Gateway("no customerProfileId".into()))?;
                    state
                        .db
                        .upsert_shopper(reference, &pid, s.shopper_email.as_deref())
                        .await
                        .map_err(db_err)?;
                    if let Some(ppid) = r.customer_payment_profile_id_list.first() {
                        record_card(state, reference, ppid.as_str(), card).await?;
                    }
                    if let (Some(a), Some(aid)) =
                        (new_address, r.customer_shipping_address_id_list.first())
                    {
                        record_address(state, reference, aid.as_str(), a).await?;
                    }
                    return Ok(());
                }
                (_, (code, text)) if code == "E00039" => {
                    // The profile exists at the gateway (made by another relay,
                    // or before our database was reset): adopt it.
                    let pid = id_in_text(&text).ok_or(WalletError::Gateway(format!(
                        "E00039 without an id: {text}"
                    )))?;
                    tracing::info!(profile = %pid, "adopting existing customer profile");
                    state
                        .db
                        .upsert_shopper(reference, &pid, s.shopper_email.as_deref())
                        .await
                        .map_err(db_err)?;
                    pid
                }
                (_, (code, text)) => {
                    return Err(WalletError::Gateway(format!("{code} {text}")));
                }
            }
        }
    };
    add_card(state, reference, &profile_id, card).await?;
    if let Some(a) = new_address {
        add_address(state, reference, &profile_id, a).await?;
    }
    Ok(())
}

async fn record_card(
    state: &AppState,
    reference: &str,
    ppid: &str,
    card: &ValidCard,
) -> Result<(), WalletError> {
    let row = CardRow {
        id: new_id("pm_"),
        shopper_reference: reference.to_owned(),
        payment_profile_id: ppid.to_owned(),
        brand: card.number.brand().map(|b| b.as_str().to_owned()),
        last4: card.number.last4().to_owned(),
        exp_month: i64::from(card.expiry.month()),
        exp_year: i64::from(card.expiry.year()),
        created_at: now(),
    };
    let stored = state
        .db
        .insert_card(&row)
        .await
        .map_err(|e| WalletError::Gateway(e.to_string()))?;
    if stored.exp_month != row.exp_month || stored.exp_year != row.exp_year {
        // A reused payment profile: the card may have been renewed.
        let _ = state
            .db
            .update_card_expiry(&stored.id, row.exp_month, row.exp_year)
            .await;
    }
    Ok(())
}

async fn record_address(
    state: &AppState,
    reference: &str,
    address_id: &str,
    a: &BillingAddress,
) -> Result<(), WalletError> {
    let o = |v: &Option<String>| v.clone().unwrap_or_default();
    let row = AddressRow {
        id: new_id("ad_"),
        shopper_reference: reference.to_owned(),
        address_id: address_id.to_owned(),
        first_name: o(&a.first_name),
        last_name: o(&a.last_name),
        company: o(&a.company),
        address: o(&a.address),
        city: o(&a.city),
        state: o(&a.state),
        zip: o(&a.zip),
        country: o(&a.country),
        created_at: now(),
    };
    state
        .db
        .insert_address(&row)
        .await
        .map(|_| ())
        .map_err(|e| WalletError::Gateway(e.to_string()))
}

async fn get_profile(
    state: &AppState,
    profile_id: &str,
) -> Result<authnet_proto::api::CustomerProfileMasked, WalletError> {
    let req = ApiRequest::GetCustomerProfile(GetCustomerProfileRequest {
        merchant_authentication: state.gateway.merchant_authentication(),
        customer_profile_id: Some(numeric(profile_id)?),
        ..GetCustomerProfileRequest::default()
    });
    match call(state, req).await? {
        ApiResponse::GetCustomerProfile(r) if r.messages.is_ok() => r
            .profile
            .ok_or(WalletError::Gateway("profile missing".into())),
        other => {
            let (c, t) = first_message(&other);
            Err(WalletError::Gateway(format!("{c} {t}")))
        }
    }
}

async fn add_card(
    state: &AppState,
    reference: &str,
    profile_id: &str,
    card: &ValidCard,
) -> Result<(), WalletError> {
    let req = ApiRequest::CreateCustomerPaymentProfile(CreateCustomerPaymentProfileRequest {
        merchant_authentication: state.gateway.merchant_authentication(),
        customer_profile_id: numeric(profile_id)?,
        payment_profile: payment_profile(card),
        ..CreateCustomerPaymentProfileRequest::default()
    });
    let resp = call(state, req).await?;
    let (code, text) = first_message(&resp);
    let given = match &resp {
        ApiResponse::CreateCustomerPaymentProfile(r) => r
            .customer_payment_profile_id
            .as_ref()
            .map(|p| p.as_str().to_owned()),
        _ => None,
    };
    match code.as_str() {
        "I00001" => {
            let ppid = given.ok_or(WalletError::Gateway("no customerPaymentProfileId".into()))?;
            record_card(state, reference, &ppid, card).await
        }
        "E00039" => {
            // The same card is already saved: reuse its payment profile.
            let ppid = match given {
                Some(p) => p,
                None => {
                    let masked = card.number.masked();
                    get_profile(state, profile_id)
                        .await?
                        .payment_profiles
                        .iter()
                        .find(|p| {
                            p.payment
                                .as_ref()
                                .and_then(|p| p.credit_card.as_ref())
                                .is_some_and(|c| c.card_number == masked)
                        })
                        .map(|p| p.customer_payment_profile_id.as_str().to_owned())
                        .ok_or(WalletError::Gateway(
                            "duplicate payment profile not found".into(),
                        ))?
                }
            };
            record_card(state, reference, &ppid, card).await
        }
        "E00042" => Err(WalletError::Limit(CARD_LIMIT)),
        _ => Err(WalletError::Gateway(format!("{code} {text}"))),
    }
}

async fn add_address(
    state: &AppState,
    reference: &str,
    profile_id: &str,
    a: &BillingAddress,
) -> Result<(), WalletError> {
    let req = ApiRequest::CreateCustomerShippingAddress(CreateCustomerShippingAddressRequest {
        merchant_authentication: state.gateway.merchant_authentication(),
        customer_profile_id: numeric(profile_id)?,
        address: customer_address(a),
        ..CreateCustomerShippingAddressRequest::default()
    });
    let resp = call(state, req).await?;
    let (code, text) = first_message(&resp);
    match (&resp, code.as_str()) {
        (ApiResponse::CreateCustomerShippingAddress(r), "I00001") => {
            let aid = r
                .customer_address_id
                .as_ref()
                .map(|p| p.as_str().to_owned())
                .ok_or(WalletError::Gateway("no customerAddressId".into()))?;
            record_address(state, reference, &aid, a).await
        }
        (_, "E00039") => {
            let wanted = customer_address(a);
            let found = get_profile(state, profile_id)
                .await?
                .ship_to_list
                .into_iter()
                .find(|x| {
                    x.first_name == wanted.first_name
                        && x.last_name == wanted.last_name
                        && x.address == wanted.address
                        && x.zip == wanted.zip
                })
                .and_then(|x| x.customer_address_id)
                .ok_or(WalletError::Gateway("duplicate address not found".into()))?;
            record_address(state, reference, found.as_str(), a).await
        }
        (_, "E00043") => Err(WalletError::Limit(ADDRESS_LIMIT)),
        _ => Err(WalletError::Gateway(format!("{code} {text}"))),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_id_in_a_duplicate_message() {
        assert_eq!(
            id_in_text("A duplicate record with ID 4449788 already exists.").as_deref(),
            Some("4449788")
        );
        assert_eq!(id_in_text("A duplicate record already exists."), None);
    }
}
