//! One function per API call: authenticate, apply the CIM rules, answer.

use authnet_proto::api::{
    ApiRequest, ApiResponse, CreateCustomerPaymentProfileResponse, CreateCustomerProfileResponse,
    CreateCustomerShippingAddressResponse, DeleteCustomerPaymentProfileResponse,
    DeleteCustomerProfileResponse, DeleteCustomerShippingAddressResponse, Function,
    GetCustomerPaymentProfileResponse, GetCustomerProfileIdsResponse, GetCustomerProfileResponse,
    GetCustomerShippingAddressResponse, Messages, NumericString,
    UpdateCustomerPaymentProfileResponse, UpdateCustomerProfileResponse,
    UpdateCustomerShippingAddressResponse, ValidationMode, codes,
};

use super::payments::{self, Validation};
use super::reporting;
use super::store::{CimError, CimStore, NewProfile, id_of};
use crate::Sandbox;

/// Who is calling (after authentication).
pub(crate) struct Caller {
    pub login: String,
}

fn authenticate(sandbox: &Sandbox, request: &ApiRequest) -> Result<Caller, Messages> {
    let auth = request.merchant_authentication();
    let login = auth.name.as_deref().map(str::trim).unwrap_or("");
    let key = auth
        .transaction_key
        .as_ref()
        .map(|k| k.expose_secret().trim())
        .unwrap_or("");
    if login.is_empty() {
        return Err(Messages::error_code(codes::E00006));
    }
    if key.is_empty() {
        return Err(Messages::error_code(codes::E00005));
    }
    if !sandbox.check_credentials(login, key) {
        return Err(Messages::error_code(codes::E00007));
    }
    Ok(Caller {
        login: login.to_owned(),
    })
}

fn cim_error(e: &CimError) -> Messages {
    Messages::error(e.code(), e.to_string())
}

/// Answers one decoded request.
pub(crate) fn dispatch(sandbox: &Sandbox, request: ApiRequest) -> ApiResponse {
    let function = request.function();
    let ref_id = request.ref_id().map(str::to_owned);
    let caller = match authenticate(sandbox, &request) {
        Ok(c) => c,
        Err(messages) => return ApiResponse::error_for(Some(function), ref_id, messages),
    };
    let store = sandbox.extension::<CimStore>();
    let result = handle(sandbox, &store, &caller, request);
    match result {
        Ok(response) => response,
        Err(Failure::Cim(e)) => match e {
            // Later schemas return the ids with a duplicate payment profile.
            CimError::DuplicatePaymentProfile {
                profile,
                payment_profile,
            } if function == Function::CreateCustomerPaymentProfile && profile != 0 => {
                CreateCustomerPaymentProfileResponse {
                    ref_id,
                    messages: cim_error(&e),
                    customer_profile_id: Some(NumericString::from(profile)),
                    customer_payment_profile_id: Some(NumericString::from(payment_profile)),
                    validation_direct_response: None,
                }
                .into()
            }
            _ => ApiResponse::error_for(Some(function), ref_id, cim_error(&e)),
        },
        Err(Failure::Messages(m)) => ApiResponse::error_for(Some(function), ref_id, m),
    }
}

pub(crate) enum Failure {
    Cim(CimError),
    Messages(Messages),
}

impl From<CimError> for Failure {
    fn from(e: CimError) -> Self {
        Failure::Cim(e)
    }
}

fn declined(direct: String) -> Messages {
    payments::declined_messages(&direct)
}

fn handle(
    sandbox: &Sandbox,
    store: &CimStore,
    caller: &Caller,
    request: ApiRequest,
) -> Result<ApiResponse, Failure> {
    let login = caller.login.as_str();
    Ok(match request {
        ApiRequest::CreateCustomerProfile(r) => {
            let p = r.profile;
            let new = NewProfile {
                merchant_customer_id: p.merchant_customer_id,
                description: p.description,
                email: p.email,
                payment_profiles: p.payment_profiles,
                ship_to_list: p.ship_to_list,
            };
            let stored_payments = store.check_new_profile(login, &new)?;
            let mode = r.validation_mode.unwrap_or(ValidationMode::None);
            let mut validations = Vec::new();
            if mode != ValidationMode::None {
                for (pp, wire) in stored_payments.iter().zip(&new.payment_profiles) {
                    let card_code = wire
                        .payment
                        .as_ref()
                        .and_then(|p| p.credit_card.as_ref())
                        .and_then(|c| c.card_code.clone());
                    let v = Validation {
                        mode,
                        merchant_customer_id: new.merchant_customer_id.as_deref(),
                        email: new.email.as_deref(),
                        ship_to: None,
                        card_code,
                    };
                    match payments::validate(sandbox, caller, pp, &v) {
                        Ok(direct) => validations.push(direct),
                        Err(direct) => {
                            validations.push(direct.clone());
                            return Ok(CreateCustomerProfileResponse {
                                ref_id: r.ref_id,
                                messages: declined(direct),
                                validation_direct_response_list: validations,
                                ..Default::default()
                            }
                            .into());
                        }
                    }
                }
            }
            let created = store.create_profile(login, new)?;
            CreateCustomerProfileResponse {
                ref_id: r.ref_id,
                messages: Messages::ok(),
                customer_profile_id: Some(created.profile_id.into()),
                customer_payment_profile_id_list: created
                    .payment_profile_ids
                    .into_iter()
                    .map(NumericString::from)
                    .collect(),
                customer_shipping_address_id_list: created
                    .address_ids
                    .into_iter()
                    .map(NumericString::from)
                    .collect(),
                validation_direct_response_list: validations,
            }
            .into()
        }
        ApiRequest::GetCustomerProfile(r) => {
            let found = match &r.customer_profile_id {
                Some(id) => store.profile(login, id_of(id)?),
                None => {
                    store.find_profile(login, r.merchant_customer_id.as_deref(), r.email.as_deref())
                }
            };
            let profile = found.ok_or(CimError::NotFound)?;
            GetCustomerProfileResponse {
                ref_id: r.ref_id,
                messages: Messages::ok(),
                profile: Some(profile.masked()),
                subscription_ids: Vec::new(),
            }
            .into()
        }
        ApiRequest::UpdateCustomerProfile(r) => {
            let p = r.profile;
            store.update_profile(
                login,
                id_of(&p.customer_profile_id)?,
                p.merchant_customer_id,
                p.description,
                p.email,
            )?;
            UpdateCustomerProfileResponse {
                ref_id: r.ref_id,
                messages: Messages::ok(),
            }
            .into()
        }
        ApiRequest::DeleteCustomerProfile(r) => {
            store.delete_profile(login, id_of(&r.customer_profile_id)?)?;
            DeleteCustomerProfileResponse {
                ref_id: r.ref_id,
                messages: Messages::ok(),
            }
            .into()
        }
        ApiRequest::CreateCustomerPaymentProfile(r) => {
            let profile_id = id_of(&r.customer_profile_id)?;
            let stored = store.check_new_payment_profile(login, profile_id, &r.payment_profile)?;
            let mode = r.validation_mode.unwrap_or(ValidationMode::None);
            let mut validation = None;
            if mode != ValidationMode::None {
                let profile = store.profile(login, profile_id).ok_or(CimError::NotFound)?;
                let card_code = r
                    .payment_profile
                    .payment
                    .as_ref()
                    .and_then(|p| p.credit_card.as_ref())
                    .and_then(|c| c.card_code.clone());
                let v = Validation {
                    mode,
                    merchant_customer_id: profile.merchant_customer_id.as_deref(),
                    email: profile.email.as_deref(),
                    ship_to: None,
                    card_code,
                };
                match payments::validate(sandbox, caller, &stored, &v) {
                    Ok(direct) => validation = Some(direct),
                    Err(direct) => {
                        return Ok(CreateCustomerPaymentProfileResponse {
                            ref_id: r.ref_id,
                            messages: declined(direct.clone()),
                            customer_profile_id: None,
                            customer_payment_profile_id: None,
                            validation_direct_response: Some(direct),
                        }
                        .into());
                    }
                }
            }
            let id = store.add_payment_profile(login, profile_id, &r.payment_profile)?;
            CreateCustomerPaymentProfileResponse {
                ref_id: r.ref_id,
                messages: Messages::ok(),
                customer_profile_id: Some(r.customer_profile_id),
                customer_payment_profile_id: Some(id.into()),
                validation_direct_response: validation,
            }
            .into()
        }
        ApiRequest::GetCustomerPaymentProfile(r) => {
            let profile_id = id_of(&r.customer_profile_id)?;
            let profile = store.profile(login, profile_id).ok_or(CimError::NotFound)?;
            let pp = profile
                .payment_profile(id_of(&r.customer_payment_profile_id)?)
                .ok_or(CimError::NotFound)?;
            GetCustomerPaymentProfileResponse {
                ref_id: r.ref_id,
                messages: Messages::ok(),
                payment_profile: Some(pp.masked(Some(profile_id))),
            }
            .into()
        }
        ApiRequest::UpdateCustomerPaymentProfile(r) => {
            let profile_id = id_of(&r.customer_profile_id)?;
            let mode = r.validation_mode.unwrap_or(ValidationMode::None);
            let mut validation = None;
            if mode != ValidationMode::None {
                let stored = store.prepare_payment_update(login, profile_id, &r.payment_profile)?;
                let profile = store.profile(login, profile_id).ok_or(CimError::NotFound)?;
                let card_code = r
                    .payment_profile
                    .payment
                    .as_ref()
                    .and_then(|p| p.credit_card.as_ref())
                    .and_then(|c| c.card_code.clone());
                let v = Validation {
                    mode,
                    merchant_customer_id: profile.merchant_customer_id.as_deref(),
                    email: profile.email.as_deref(),
                    ship_to: None,
                    card_code,
                };
                match payments::validate(sandbox, caller, &stored, &v) {
                    Ok(direct) => validation = Some(direct),
                    Err(direct) => {
                        return Ok(UpdateCustomerPaymentProfileResponse {
                            ref_id: r.ref_id,
                            messages: declined(direct.clone()),
                            validation_direct_response: Some(direct),
                        }
                        .into());
                    }
                }
            }
            store.update_payment_profile(login, profile_id, &r.payment_profile)?;
            UpdateCustomerPaymentProfileResponse {
                ref_id: r.ref_id,
                messages: Messages::ok(),
                validation_direct_response: validation,
            }
            .into()
        }
        ApiRequest::DeleteCustomerPaymentProfile(r) => {
            store.delete_payment_profile(
                login,
                id_of(&r.customer_profile_id)?,
                id_of(&r.customer_payment_profile_id)?,
            )?;
            DeleteCustomerPaymentProfileResponse {
                ref_id: r.ref_id,
                messages: Messages::ok(),
            }
            .into()
        }
        ApiRequest::CreateCustomerShippingAddress(r) => {
            let id = store.add_address(login, id_of(&r.customer_profile_id)?, &r.address)?;
            CreateCustomerShippingAddressResponse {
                ref_id: r.ref_id,
                messages: Messages::ok(),
                customer_profile_id: Some(r.customer_profile_id),
                customer_address_id: Some(id.into()),
            }
            .into()
        }
        ApiRequest::GetCustomerShippingAddress(r) => {
            let profile = store
                .profile(login, id_of(&r.customer_profile_id)?)
                .ok_or(CimError::NotFound)?;
            let address_id = id_of(&r.customer_address_id)?;
            let mut address = profile
                .address(address_id)
                .cloned()
                .ok_or(CimError::NotFound)?;
            address.customer_address_id = Some(address_id.into());
            GetCustomerShippingAddressResponse {
                ref_id: r.ref_id,
                messages: Messages::ok(),
                default_shipping_address: None,
                address: Some(address),
                subscription_ids: Vec::new(),
            }
            .into()
        }
        ApiRequest::UpdateCustomerShippingAddress(r) => {
            store.update_address(login, id_of(&r.customer_profile_id)?, &r.address)?;
            UpdateCustomerShippingAddressResponse {
                ref_id: r.ref_id,
                messages: Messages::ok(),
            }
            .into()
        }
        ApiRequest::DeleteCustomerShippingAddress(r) => {
            store.delete_address(
                login,
                id_of(&r.customer_profile_id)?,
                id_of(&r.customer_address_id)?,
            )?;
            DeleteCustomerShippingAddressResponse {
                ref_id: r.ref_id,
                messages: Messages::ok(),
            }
            .into()
        }
        ApiRequest::GetCustomerProfileIds(r) => GetCustomerProfileIdsResponse {
            ref_id: r.ref_id,
            messages: Messages::ok(),
            ids: store
                .profile_ids(login)
                .into_iter()
                .map(NumericString::from)
                .collect(),
        }
        .into(),
        ApiRequest::ValidateCustomerPaymentProfile(r) => {
            payments::validate_profile(sandbox, store, caller, r)?
        }
        ApiRequest::CreateCustomerProfileTransaction(r) => {
            payments::profile_transaction(sandbox, store, caller, r)?
        }
        ApiRequest::CreateTransaction(r) => {
            payments::create_transaction(sandbox, store, caller, r)?
        }
        ApiRequest::GetUnsettledTransactionList(r) => reporting::unsettled_list(sandbox, r)?,
        ApiRequest::GetTransactionDetails(r) => reporting::transaction_details(sandbox, r)?,
    })
}
