//! The CIM profile store: customer profiles, their payment profiles and
//! shipping addresses, per merchant login, in memory and thread-safe.
//!
//! Card numbers are kept as [`SecretText`] (redacted in `Debug`) and only
//! leave the store masked (`XXXX1111`) or as a transaction input.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, MutexGuard};

use authnet_proto::api::{
    BankAccount, BankAccountMasked, CreditCardMasked, CustomerAddress, CustomerProfileMasked,
    CustomerType, NumericString, Payment, PaymentMasked, PaymentProfile, PaymentProfileMasked,
    SecretText, mask,
};

/// Most payment profiles per customer profile (§5.8).
pub const MAX_PAYMENT_PROFILES: usize = 10;
/// Most shipping addresses per customer profile (§5.8).
pub const MAX_SHIPPING_ADDRESSES: usize = 100;

/// Stored payment data of one payment profile.
#[derive(Clone, Debug)]
pub enum StoredPayment {
    Card {
        number: SecretText,
        expiration: String,
    },
    Bank(BankAccount),
}

/// One stored payment profile.
#[derive(Clone, Debug)]
pub struct StoredPaymentProfile {
    pub id: u64,
    pub customer_type: Option<CustomerType>,
    pub bill_to: Option<CustomerAddress>,
    pub payment: StoredPayment,
    pub default: bool,
}

/// One stored customer profile.
#[derive(Clone, Debug, Default)]
pub struct StoredProfile {
    pub id: u64,
    pub merchant_customer_id: Option<String>,
    pub description: Option<String>,
    pub email: Option<String>,
    pub payment_profiles: Vec<StoredPaymentProfile>,
    pub addresses: Vec<(u64, CustomerAddress)>,
}

#[derive(Debug)]
struct Ids {
    profile: u64,
    payment: u64,
    address: u64,
}

impl Default for Ids {
    fn default() -> Self {
        Ids {
            profile: 1_500_000_000,
            payment: 1_400_000_000,
            address: 1_300_000_000,
        }
    }
}

#[derive(Debug, Default)]
struct Inner {
    ids: Ids,
    /// login → profile id → profile.
    merchants: HashMap<String, BTreeMap<u64, StoredProfile>>,
}

/// The CIM store. Cheap to share behind the sandbox's `Arc`.
#[derive(Debug, Default)]
pub struct CimStore {
    inner: Mutex<Inner>,
}

/// Why a store operation refused, mapped to the gateway's message by the handler.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CimError {
    #[error("A duplicate record with ID {0} already exists.")]
    DuplicateProfile(u64),
    #[error("A duplicate customer payment profile already exists.")]
    DuplicatePaymentProfile { profile: u64, payment_profile: u64 },
    #[error("A duplicate record already exists.")]
    DuplicateAddress { profile: u64, address: u64 },
    #[error("The record cannot be found.")]
    NotFound,
    #[error("One or more fields must contain a value.")]
    NoIdentifier,
    #[error("Payment information is required.")]
    PaymentRequired,
    #[error("You cannot add more than {MAX_PAYMENT_PROFILES} payment profiles.")]
    TooManyPaymentProfiles,
    #[error("You cannot add more than {MAX_SHIPPING_ADDRESSES} shipping addresses.")]
    TooManyAddresses,
    /// E00015: `The field length is invalid for <field>.`
    #[error("The field length is invalid for {0}.")]
    FieldLength(&'static str),
    #[error("{0}")]
    Invalid(String),
}

impl CimError {
    pub fn code(&self) -> &'static str {
        use authnet_proto::api::codes;
        match self {
            CimError::DuplicateProfile(_)
            | CimError::DuplicatePaymentProfile { .. }
            | CimError::DuplicateAddress { .. } => codes::E00039,
            CimError::NotFound => codes::E00040,
            CimError::NoIdentifier => codes::E00041,
            CimError::PaymentRequired => codes::E00029,
            CimError::TooManyPaymentProfiles => codes::E00042,
            CimError::TooManyAddresses => codes::E00043,
            CimError::FieldLength(_) => codes::E00015,
            CimError::Invalid(_) => codes::E00013,
        }
    }
}

fn same(a: &Option<String>, b: &Option<String>) -> bool {
    a.as_deref()
        .unwrap_or("")
        .trim()
        .eq_ignore_ascii_case(b.as_deref().unwrap_or("").trim())
}

fn card_number_of(p: &StoredPayment) -> Option<&str> {
    match p {
        StoredPayment::Card { number, .. } => Some(number.expose()),
        StoredPayment::Bank(_) => None,
    }
}

/// Whether two payment profiles are duplicates (§5.8: number/account, and
/// billTo first name, last name, address, zip; expiry not compared).
fn duplicate_payment(a: &StoredPaymentProfile, b: &StoredPaymentProfile) -> bool {
    let same_payment = match (&a.payment, &b.payment) {
        (StoredPayment::Card { number: x, .. }, StoredPayment::Card { number: y, .. }) => {
            x.expose() == y.expose()
        }
        (StoredPayment::Bank(x), StoredPayment::Bank(y)) => {
            x.account_number.expose() == y.account_number.expose()
                && x.routing_number.expose() == y.routing_number.expose()
        }
        _ => false,
    };
    let empty = CustomerAddress::default();
    let ba = a.bill_to.as_ref().unwrap_or(&empty);
    let bb = b.bill_to.as_ref().unwrap_or(&empty);
    same_payment
        && same(&ba.first_name, &bb.first_name)
        && same(&ba.last_name, &bb.last_name)
        && same(&ba.address, &bb.address)
        && same(&ba.zip, &bb.zip)
}

fn duplicate_address(a: &CustomerAddress, b: &CustomerAddress) -> bool {
    same(&a.first_name, &b.first_name)
        && same(&a.last_name, &b.last_name)
        && same(&a.address, &b.address)
        && same(&a.zip, &b.zip)
        && same(&a.phone_number, &b.phone_number)
}

fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// Checks a card as CIM stores it: 13–16 digits (or masked on update),
/// `YYYY-MM` expiry (or `XXXX` on update).
fn check_card(number: &str, expiration: &str, allow_masked: bool) -> Result<(), CimError> {
    let masked_ok = allow_masked && number.starts_with("XXXX") && number.len() == 8;
    let full_ok = is_digits(number) && (13..=16).contains(&number.len());
    if !(masked_ok || full_ok) {
        return Err(CimError::FieldLength("Card Number"));
    }
    let exp_masked = allow_masked && expiration == "XXXX";
    if !exp_masked && parse_expiration(expiration).is_none() {
        return Err(CimError::Invalid(
            "Credit card expiration date is invalid.".into(),
        ));
    }
    Ok(())
}

/// `YYYY-MM` (also `MMYY`, `MM/YY`, `MM/YYYY`) → (year, month).
pub fn parse_expiration(s: &str) -> Option<(u32, u32)> {
    let s = s.trim();
    let (y, m) = if let Some((y, m)) = s.split_once('-') {
        (y.to_owned(), m.to_owned())
    } else if let Some((m, y)) = s.split_once('/') {
        (y.to_owned(), m.to_owned())
    } else if s.len() == 4 && is_digits(s) {
        (s[2..].to_owned(), s[..2].to_owned())
    } else {
        return None;
    };
    if !is_digits(&y) || !is_digits(&m) {
        return None;
    }
    let year: u32 = y.parse().ok()?;
    let year = if y.len() == 2 { 2000 + year } else { year };
    let month: u32 = m.parse().ok()?;
    ((1..=12).contains(&month) && (2000..=2200).contains(&year)).then_some((year, month))
}

fn stored_payment(
    p: &Payment,
    previous: Option<&StoredPayment>,
) -> Result<StoredPayment, CimError> {
    if let Some(card) = &p.credit_card {
        check_card(
            card.card_number.expose(),
            &card.expiration_date,
            previous.is_some(),
        )?;
        let number = match previous {
            Some(StoredPayment::Card { number, .. }) if card.card_number.is_masked() => {
                if number.masked() != card.card_number.expose() {
                    return Err(CimError::Invalid(
                        "The masked card number does not match the stored card.".into(),
                    ));
                }
                number.clone()
            }
            _ if card.card_number.is_masked() => {
                return Err(CimError::FieldLength("Card Number"));
            }
            _ => card.card_number.clone(),
        };
        let expiration = match previous {
            Some(StoredPayment::Card { expiration, .. }) if card.expiration_date == "XXXX" => {
                expiration.clone()
            }
            _ => card.expiration_date.clone(),
        };
        return Ok(StoredPayment::Card { number, expiration });
    }
    if let Some(bank) = &p.bank_account {
        let mut bank = bank.clone();
        if let Some(StoredPayment::Bank(old)) = previous {
            if bank.account_number.is_masked() {
                bank.account_number = old.account_number.clone();
            }
            if bank.routing_number.is_masked() {
                bank.routing_number = old.routing_number.clone();
            }
        }
        return Ok(StoredPayment::Bank(bank));
    }
    Err(CimError::PaymentRequired)
}

fn new_payment_profile(
    id: u64,
    p: &PaymentProfile,
    previous: Option<&StoredPayment>,
) -> Result<StoredPaymentProfile, CimError> {
    let payment = match &p.payment {
        Some(payment) => stored_payment(payment, previous)?,
        None => return Err(CimError::PaymentRequired),
    };
    Ok(StoredPaymentProfile {
        id,
        customer_type: p.customer_type,
        bill_to: p.bill_to.clone().map(|mut b| {
            b.customer_address_id = None;
            b
        }),
        payment,
        default: p.default_payment_profile.unwrap_or(false),
    })
}

/// The card type string of §6.1 for a number (as AIM position 52 shows it).
pub fn card_type(number: &str) -> &'static str {
    let d = |n: usize| {
        number
            .get(..n)
            .and_then(|p| p.parse::<u32>().ok())
            .unwrap_or(0)
    };
    match () {
        _ if number.starts_with('4') => "Visa",
        _ if (51..=55).contains(&d(2)) || (2221..=2720).contains(&d(4)) => "MasterCard",
        _ if d(2) == 34 || d(2) == 37 => "AmericanExpress",
        _ if d(4) == 6011 || (644..=649).contains(&d(3)) || d(2) == 65 => "Discover",
        _ if (3528..=3589).contains(&d(4)) || (3088..=3094).contains(&d(4)) => "JCB",
        _ if (300..=305).contains(&d(3)) || d(2) == 36 || d(2) == 38 || d(2) == 39 => "DinersClub",
        _ => "Visa",
    }
}

impl StoredPaymentProfile {
    /// The masked form `getCustomerProfile`/`getCustomerPaymentProfile` return.
    pub fn masked(&self, profile_id: Option<u64>) -> PaymentProfileMasked {
        let payment = match &self.payment {
            StoredPayment::Card { number, .. } => PaymentMasked {
                credit_card: Some(CreditCardMasked {
                    card_number: number.masked(),
                    expiration_date: "XXXX".into(),
                    card_type: Some(card_type(number.expose()).to_owned()),
                }),
                bank_account: None,
            },
            StoredPayment::Bank(b) => PaymentMasked {
                credit_card: None,
                bank_account: Some(BankAccountMasked {
                    account_type: b.account_type.clone(),
                    routing_number: mask(b.routing_number.expose()),
                    account_number: mask(b.account_number.expose()),
                    name_on_account: b.name_on_account.clone(),
                    echeck_type: b.echeck_type.clone(),
                    bank_name: b.bank_name.clone(),
                }),
            },
        };
        PaymentProfileMasked {
            customer_type: self.customer_type,
            bill_to: self.bill_to.clone(),
            customer_profile_id: profile_id.map(NumericString::from),
            customer_payment_profile_id: NumericString::from(self.id),
            default_payment_profile: self.default.then_some(true),
            payment: Some(payment),
            drivers_license: None,
            tax_id: None,
        }
    }

    /// The card number, when this is a card.
    pub fn card_number(&self) -> Option<&str> {
        card_number_of(&self.payment)
    }
}

impl StoredProfile {
    pub fn masked(&self) -> CustomerProfileMasked {
        CustomerProfileMasked {
            merchant_customer_id: self.merchant_customer_id.clone(),
            description: self.description.clone(),
            email: self.email.clone(),
            customer_profile_id: Some(NumericString::from(self.id)),
            payment_profiles: self
                .payment_profiles
                .iter()
                .map(|p| p.masked(Some(self.id)))
                .collect(),
            ship_to_list: self
                .addresses
                .iter()
                .map(|(id, a)| {
                    let mut a = a.clone();
                    a.customer_address_id = Some(NumericString::from(*id));
                    a
                })
                .collect(),
        }
    }

    pub fn payment_profile(&self, id: u64) -> Option<&StoredPaymentProfile> {
        self.payment_profiles.iter().find(|p| p.id == id)
    }

    pub fn address(&self, id: u64) -> Option<&CustomerAddress> {
        self.addresses
            .iter()
            .find(|(i, _)| *i == id)
            .map(|(_, a)| a)
    }
}

/// Parses a `numericString` id into the store's key.
pub fn id_of(n: &NumericString) -> Result<u64, CimError> {
    n.as_str().parse().map_err(|_| CimError::NotFound)
}

/// A new customer profile as `createCustomerProfileRequest` describes it.
pub struct NewProfile {
    pub merchant_customer_id: Option<String>,
    pub description: Option<String>,
    pub email: Option<String>,
    pub payment_profiles: Vec<PaymentProfile>,
    pub ship_to_list: Vec<CustomerAddress>,
}

/// Ids assigned by a create.
#[derive(Debug, Clone, Default)]
pub struct CreatedProfile {
    pub profile_id: u64,
    pub payment_profile_ids: Vec<u64>,
    pub address_ids: Vec<u64>,
}

impl CimStore {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A poisoned lock only means another request panicked mid-update; the
        // maps are still structurally valid, so keep serving.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Runs `f` on one merchant's profiles.
    fn with<R>(
        &self,
        login: &str,
        f: impl FnOnce(&mut BTreeMap<u64, StoredProfile>, &mut Ids) -> R,
    ) -> R {
        let mut inner = self.lock();
        let Inner { ids, merchants } = &mut *inner;
        let profiles = merchants.entry(login.to_owned()).or_default();
        f(profiles, ids)
    }

    /// Checks a new profile without storing it (duplicates, limits, data);
    /// returns the payment profiles' stored form, for validation.
    pub fn check_new_profile(
        &self,
        login: &str,
        p: &NewProfile,
    ) -> Result<Vec<StoredPaymentProfile>, CimError> {
        self.with(login, |profiles, _| check_new_profile(profiles, p))
    }

    /// Creates a profile with its payment profiles and addresses.
    pub fn create_profile(&self, login: &str, p: NewProfile) -> Result<CreatedProfile, CimError> {
        self.with(login, |profiles, ids| {
            let payments = check_new_profile(profiles, &p)?;
            ids.profile += 1;
            let id = ids.profile;
            let mut created = CreatedProfile {
                profile_id: id,
                ..Default::default()
            };
            let mut stored = StoredProfile {
                id,
                merchant_customer_id: p.merchant_customer_id,
                description: p.description,
                email: p.email,
                ..Default::default()
            };
            for mut pp in payments {
                ids.payment += 1;
                pp.id = ids.payment;
                created.payment_profile_ids.push(pp.id);
                stored.payment_profiles.push(pp);
            }
            for mut a in p.ship_to_list {
                ids.address += 1;
                a.customer_address_id = None;
                created.address_ids.push(ids.address);
                stored.addresses.push((ids.address, a));
            }
            profiles.insert(id, stored);
            Ok(created)
        })
    }

    /// A copy of one profile.
    pub fn profile(&self, login: &str, id: u64) -> Option<StoredProfile> {
        self.with(login, |profiles, _| profiles.get(&id).cloned())
    }

    /// Finds a profile by `merchantCustomerId` or `email` (newer get forms).
    pub fn find_profile(
        &self,
        login: &str,
        merchant_customer_id: Option<&str>,
        email: Option<&str>,
    ) -> Option<StoredProfile> {
        self.with(login, |profiles, _| {
            profiles
                .values()
                .find(|p| {
                    merchant_customer_id
                        .is_some_and(|m| p.merchant_customer_id.as_deref() == Some(m))
                        || (merchant_customer_id.is_none()
                            && email.is_some_and(|e| p.email.as_deref() == Some(e)))
                })
                .cloned()
        })
    }

    /// All profile ids, ascending.
    pub fn profile_ids(&self, login: &str) -> Vec<u64> {
        self.with(login, |profiles, _| profiles.keys().copied().collect())
    }

    /// Updates the profile's own fields (merchantCustomerId, description, email).
    pub fn update_profile(
        &self,
        login: &str,
        id: u64,
        merchant_customer_id: Option<String>,
        description: Option<String>,
        email: Option<String>,
    ) -> Result<(), CimError> {
        self.with(login, |profiles, _| {
            if merchant_customer_id.is_none() && description.is_none() && email.is_none() {
                return Err(CimError::NoIdentifier);
            }
            if let Some(other) = profiles.values().find(|p| {
                p.id != id
                    && same(&p.merchant_customer_id, &merchant_customer_id)
                    && same(&p.description, &description)
                    && same(&p.email, &email)
            }) {
                return Err(CimError::DuplicateProfile(other.id));
            }
            let p = profiles.get_mut(&id).ok_or(CimError::NotFound)?;
            p.merchant_customer_id = merchant_customer_id;
            p.description = description;
            p.email = email;
            Ok(())
        })
    }

    /// Deletes a profile and everything in it.
    pub fn delete_profile(&self, login: &str, id: u64) -> Result<(), CimError> {
        self.with(login, |profiles, _| {
            profiles.remove(&id).map(|_| ()).ok_or(CimError::NotFound)
        })
    }

    /// Checks a new payment profile for `profile_id` without storing it.
    pub fn check_new_payment_profile(
        &self,
        login: &str,
        profile_id: u64,
        p: &PaymentProfile,
    ) -> Result<StoredPaymentProfile, CimError> {
        self.with(login, |profiles, _| {
            let profile = profiles.get(&profile_id).ok_or(CimError::NotFound)?;
            check_payment_profile_for(profile, p)
        })
    }

    /// Adds a payment profile.
    pub fn add_payment_profile(
        &self,
        login: &str,
        profile_id: u64,
        p: &PaymentProfile,
    ) -> Result<u64, CimError> {
        self.with(login, |profiles, ids| {
            let profile = profiles.get_mut(&profile_id).ok_or(CimError::NotFound)?;
            let mut stored = check_payment_profile_for(profile, p)?;
            ids.payment += 1;
            stored.id = ids.payment;
            if stored.default {
                for other in &mut profile.payment_profiles {
                    other.default = false;
                }
            }
            profile.payment_profiles.push(stored);
            Ok(ids.payment)
        })
    }

    /// The stored form an update would produce (masked values keep the stored
    /// card), without storing it.
    pub fn prepare_payment_update(
        &self,
        login: &str,
        profile_id: u64,
        p: &PaymentProfile,
    ) -> Result<StoredPaymentProfile, CimError> {
        self.with(login, |profiles, _| {
            let profile = profiles.get(&profile_id).ok_or(CimError::NotFound)?;
            let id = p
                .customer_payment_profile_id
                .as_ref()
                .ok_or(CimError::NotFound)
                .and_then(id_of)?;
            let old = profile.payment_profile(id).ok_or(CimError::NotFound)?;
            new_payment_profile(id, p, Some(&old.payment))
        })
    }

    /// Replaces a payment profile (omitted fields are cleared, as the gateway does).
    pub fn update_payment_profile(
        &self,
        login: &str,
        profile_id: u64,
        p: &PaymentProfile,
    ) -> Result<(), CimError> {
        self.with(login, |profiles, _| {
            let profile = profiles.get_mut(&profile_id).ok_or(CimError::NotFound)?;
            let id = p
                .customer_payment_profile_id
                .as_ref()
                .ok_or(CimError::NotFound)
                .and_then(id_of)?;
            let slot = profile
                .payment_profiles
                .iter()
                .position(|x| x.id == id)
                .ok_or(CimError::NotFound)?;
            let updated =
                new_payment_profile(id, p, Some(&profile.payment_profiles[slot].payment))?;
            if let Some(dup) = profile
                .payment_profiles
                .iter()
                .find(|x| x.id != id && duplicate_payment(x, &updated))
            {
                return Err(CimError::DuplicatePaymentProfile {
                    profile: profile_id,
                    payment_profile: dup.id,
                });
            }
            if updated.default {
                for other in &mut profile.payment_profiles {
                    other.default = false;
                }
            }
            profile.payment_profiles[slot] = updated;
            Ok(())
        })
    }

    pub fn delete_payment_profile(
        &self,
        login: &str,
        profile_id: u64,
        id: u64,
    ) -> Result<(), CimError> {
        self.with(login, |profiles, _| {
            let profile = profiles.get_mut(&profile_id).ok_or(CimError::NotFound)?;
            let before = profile.payment_profiles.len();
            profile.payment_profiles.retain(|p| p.id != id);
            if profile.payment_profiles.len() == before {
                Err(CimError::NotFound)
            } else {
                Ok(())
            }
        })
    }

    pub fn add_address(
        &self,
        login: &str,
        profile_id: u64,
        a: &CustomerAddress,
    ) -> Result<u64, CimError> {
        self.with(login, |profiles, ids| {
            let profile = profiles.get_mut(&profile_id).ok_or(CimError::NotFound)?;
            if profile.addresses.len() >= MAX_SHIPPING_ADDRESSES {
                return Err(CimError::TooManyAddresses);
            }
            if let Some((dup, _)) = profile
                .addresses
                .iter()
                .find(|(_, x)| duplicate_address(x, a))
            {
                return Err(CimError::DuplicateAddress {
                    profile: profile_id,
                    address: *dup,
                });
            }
            ids.address += 1;
            let mut a = a.clone();
            a.customer_address_id = None;
            profile.addresses.push((ids.address, a));
            Ok(ids.address)
        })
    }

    pub fn update_address(
        &self,
        login: &str,
        profile_id: u64,
        a: &CustomerAddress,
    ) -> Result<(), CimError> {
        self.with(login, |profiles, _| {
            let profile = profiles.get_mut(&profile_id).ok_or(CimError::NotFound)?;
            let id = a
                .customer_address_id
                .as_ref()
                .ok_or(CimError::NotFound)
                .and_then(id_of)?;
            if let Some((dup, _)) = profile
                .addresses
                .iter()
                .find(|(i, x)| *i != id && duplicate_address(x, a))
            {
                return Err(CimError::DuplicateAddress {
                    profile: profile_id,
                    address: *dup,
                });
            }
            let slot = profile
                .addresses
                .iter_mut()
                .find(|(i, _)| *i == id)
                .ok_or(CimError::NotFound)?;
            let mut a = a.clone();
            a.customer_address_id = None;
            slot.1 = a;
            Ok(())
        })
    }

    pub fn delete_address(&self, login: &str, profile_id: u64, id: u64) -> Result<(), CimError> {
        self.with(login, |profiles, _| {
            let profile = profiles.get_mut(&profile_id).ok_or(CimError::NotFound)?;
            let before = profile.addresses.len();
            profile.addresses.retain(|(i, _)| *i != id);
            if profile.addresses.len() == before {
                Err(CimError::NotFound)
            } else {
                Ok(())
            }
        })
    }
}

fn check_new_profile(
    profiles: &BTreeMap<u64, StoredProfile>,
    p: &NewProfile,
) -> Result<Vec<StoredPaymentProfile>, CimError> {
    let blank = |s: &Option<String>| s.as_deref().is_none_or(|s| s.trim().is_empty());
    if blank(&p.merchant_customer_id) && blank(&p.description) && blank(&p.email) {
        return Err(CimError::NoIdentifier);
    }
    if let Some(existing) = profiles.values().find(|x| {
        same(&x.merchant_customer_id, &p.merchant_customer_id)
            && same(&x.description, &p.description)
            && same(&x.email, &p.email)
    }) {
        return Err(CimError::DuplicateProfile(existing.id));
    }
    if p.payment_profiles.len() > MAX_PAYMENT_PROFILES {
        return Err(CimError::TooManyPaymentProfiles);
    }
    if p.ship_to_list.len() > MAX_SHIPPING_ADDRESSES {
        return Err(CimError::TooManyAddresses);
    }
    let mut out: Vec<StoredPaymentProfile> = Vec::new();
    for pp in &p.payment_profiles {
        let stored = new_payment_profile(0, pp, None)?;
        if out.iter().any(|x| duplicate_payment(x, &stored)) {
            return Err(CimError::DuplicatePaymentProfile {
                profile: 0,
                payment_profile: 0,
            });
        }
        out.push(stored);
    }
    Ok(out)
}

fn check_payment_profile_for(
    profile: &StoredProfile,
    p: &PaymentProfile,
) -> Result<StoredPaymentProfile, CimError> {
    let stored = new_payment_profile(0, p, None)?;
    if let Some(dup) = profile
        .payment_profiles
        .iter()
        .find(|x| duplicate_payment(x, &stored))
    {
        return Err(CimError::DuplicatePaymentProfile {
            profile: profile.id,
            payment_profile: dup.id,
        });
    }
    if profile.payment_profiles.len() >= MAX_PAYMENT_PROFILES {
        return Err(CimError::TooManyPaymentProfiles);
    }
    Ok(stored)
}
