#!/usr/bin/env node
// CIM + createTransaction life cycle with Authorize.Net's official Node SDK
// (`authorizenet@1.0.10`, JSON over HTTP), unchanged, pointed at the sandbox.
//
// Usage: node lifecycle.js XML_API_URL CONTROL_BASE_URL LOGIN KEY
// (with NODE_PATH or a node_modules containing `authorizenet`).
//
// Prints one PASS/FAIL line per step and exits non-zero on any failure.
'use strict';

const http = require('http');
const { APIContracts: C, APIControllers: K } = require('authorizenet');

const [URL, CONTROL, LOGIN, KEY] = process.argv.slice(2);
const RUN = String(Date.now()).slice(-9);
const results = [];
const state = {};

function auth(key = KEY) {
  const m = new C.MerchantAuthenticationType();
  m.setName(LOGIN);
  m.setTransactionKey(key);
  return m;
}

// The SDK calls back only on success (errors are logged, never reported), so
// poll getError() and time out.
function call(Controller, request) {
  return new Promise((resolve, reject) => {
    const ctrl = new Controller(request.getJSON());
    ctrl.setEnvironment(URL);
    let done = false;
    const timer = setInterval(() => {
      if (!done && ctrl.getError()) {
        done = true;
        clearInterval(timer);
        reject(new Error('HTTP error: ' + ctrl.getError().message));
      }
    }, 20);
    setTimeout(() => {
      if (!done) {
        done = true;
        clearInterval(timer);
        reject(new Error('no callback within 10 s'));
      }
    }, 10000);
    ctrl.execute(() => {
      if (done) return;
      done = true;
      clearInterval(timer);
      resolve(ctrl.getResponse());
    });
  });
}

function expect(cond, msg) {
  if (!cond) throw new Error(msg);
}

function result(resp) {
  const m = resp.getMessages();
  const first = m.getMessage()[0];
  return [m.getResultCode(), first.getCode(), first.getText()];
}

function card(number, exp = '2035-12') {
  const cc = new C.CreditCardType();
  cc.setCardNumber(number);
  cc.setExpirationDate(exp);
  const p = new C.PaymentType();
  p.setCreditCard(cc);
  return p;
}

function address(first, last, street, zip, Cls = C.CustomerAddressType) {
  const a = new Cls();
  a.setFirstName(first);
  a.setLastName(last);
  a.setAddress(street);
  a.setCity('Bellevue');
  a.setState('WA');
  a.setZip(zip);
  a.setCountry('US');
  return a;
}

async function step(name, fn) {
  try {
    const detail = await fn();
    results.push([name, true]);
    console.log(`PASS ${name}` + (detail ? ` (${detail})` : ''));
  } catch (e) {
    results.push([name, false]);
    console.log(`FAIL ${name}: ${e.message}`);
  }
}

async function createProfile() {
  const pp = new C.CustomerPaymentProfileType();
  pp.setCustomerType(C.CustomerTypeEnum.INDIVIDUAL);
  pp.setBillTo(address('Ann', 'Lee', '1 Main St', '98004'));
  pp.setPayment(card('4111111111111111'));
  const profile = new C.CustomerProfileType();
  profile.setMerchantCustomerId('js-' + RUN);
  profile.setDescription('Node SDK life cycle');
  profile.setEmail(`js-${RUN}@example.com`);
  profile.setPaymentProfiles([pp]);
  profile.setShipToList([address('Ann', 'Lee', '9 Dock Rd', '98005')]);
  const req = new C.CreateCustomerProfileRequest();
  req.setMerchantAuthentication(auth());
  req.setProfile(profile);
  req.setValidationMode(C.ValidationModeEnum.TESTMODE);
  const resp = new C.CreateCustomerProfileResponse(await call(K.CreateCustomerProfileController, req));
  expect(result(resp)[0] === 'Ok', `result ${result(resp)}`);
  state.profile = String(resp.getCustomerProfileId());
  state.pp1 = String(resp.getCustomerPaymentProfileIdList().getNumericString()[0]);
  state.addr1 = String(resp.getCustomerShippingAddressIdList().getNumericString()[0]);
  const direct = String(resp.getValidationDirectResponseList().getString()[0]);
  expect(direct.split(',')[0] === '1', `validation ${direct.slice(0, 60)}`);
  return `profile ${state.profile}`;
}

async function duplicateCreate() {
  const profile = new C.CustomerProfileType();
  profile.setMerchantCustomerId('js-' + RUN);
  profile.setDescription('Node SDK life cycle');
  profile.setEmail(`js-${RUN}@example.com`);
  const req = new C.CreateCustomerProfileRequest();
  req.setMerchantAuthentication(auth());
  req.setProfile(profile);
  const resp = new C.CreateCustomerProfileResponse(await call(K.CreateCustomerProfileController, req));
  const [rc, code, text] = result(resp);
  expect(rc === 'Error' && code === 'E00039', `result ${rc} ${code}`);
  expect(text.includes(state.profile), `text does not name the existing id: ${text}`);
}

function getProfile(payments, addresses) {
  return async () => {
    const req = new C.GetCustomerProfileRequest();
    req.setMerchantAuthentication(auth());
    req.setCustomerProfileId(state.profile);
    const resp = new C.GetCustomerProfileResponse(await call(K.GetCustomerProfileController, req));
    expect(result(resp)[0] === 'Ok', `result ${result(resp)}`);
    const p = resp.getProfile();
    const pps = p.getPaymentProfiles() || [];
    const ships = p.getShipToList() || [];
    expect(pps.length === payments, `${pps.length} payment profiles`);
    expect(ships.length === addresses, `${ships.length} addresses`);
    expect(pps[0].getPayment().getCreditCard().getCardNumber() === 'XXXX1111', 'card not masked');
    expect(p.getMerchantCustomerId() === 'js-' + RUN, 'merchantCustomerId');
    return `${pps.length} cards, ${ships.length} addresses`;
  };
}

async function addPaymentProfile() {
  const pp = new C.CustomerPaymentProfileType();
  pp.setBillTo(address('Ann', 'Lee', '1 Main St', '98004'));
  pp.setPayment(card('5424000000000015'));
  const req = new C.CreateCustomerPaymentProfileRequest();
  req.setMerchantAuthentication(auth());
  req.setCustomerProfileId(state.profile);
  req.setPaymentProfile(pp);
  req.setValidationMode(C.ValidationModeEnum.LIVEMODE);
  const resp = new C.CreateCustomerPaymentProfileResponse(await call(K.CreateCustomerPaymentProfileController, req));
  expect(result(resp)[0] === 'Ok', `result ${result(resp)}`);
  state.pp2 = String(resp.getCustomerPaymentProfileId());
}

async function duplicatePaymentProfile() {
  const pp = new C.CustomerPaymentProfileType();
  pp.setBillTo(address('Ann', 'Lee', '1 Main St', '98004'));
  pp.setPayment(card('5424000000000015', '2036-01'));
  const req = new C.CreateCustomerPaymentProfileRequest();
  req.setMerchantAuthentication(auth());
  req.setCustomerProfileId(state.profile);
  req.setPaymentProfile(pp);
  const resp = new C.CreateCustomerPaymentProfileResponse(await call(K.CreateCustomerPaymentProfileController, req));
  const [rc, code] = result(resp);
  expect(rc === 'Error' && code === 'E00039', `result ${result(resp)}`);
}

async function addShippingAddress() {
  const req = new C.CreateCustomerShippingAddressRequest();
  req.setMerchantAuthentication(auth());
  req.setCustomerProfileId(state.profile);
  req.setAddress(address('Bo', 'Lee', '77 Pier Ave', '98006'));
  const resp = new C.CreateCustomerShippingAddressResponse(await call(K.CreateCustomerShippingAddressController, req));
  expect(result(resp)[0] === 'Ok', `result ${result(resp)}`);
  state.addr2 = String(resp.getCustomerAddressId());
}

async function updatePaymentProfile() {
  const pp = new C.CustomerPaymentProfileExType();
  pp.setBillTo(address('Ann', 'Lee-Park', '2 Main St', '98004'));
  pp.setPayment(card('XXXX1111', 'XXXX'));
  pp.setCustomerPaymentProfileId(state.pp1);
  const req = new C.UpdateCustomerPaymentProfileRequest();
  req.setMerchantAuthentication(auth());
  req.setCustomerProfileId(state.profile);
  req.setPaymentProfile(pp);
  const resp = new C.UpdateCustomerPaymentProfileResponse(await call(K.UpdateCustomerPaymentProfileController, req));
  expect(result(resp)[0] === 'Ok', `result ${result(resp)}`);
}

async function getPaymentProfile() {
  const req = new C.GetCustomerPaymentProfileRequest();
  req.setMerchantAuthentication(auth());
  req.setCustomerProfileId(state.profile);
  req.setCustomerPaymentProfileId(state.pp1);
  const resp = new C.GetCustomerPaymentProfileResponse(await call(K.GetCustomerPaymentProfileController, req));
  expect(result(resp)[0] === 'Ok', `result ${result(resp)}`);
  const p = resp.getPaymentProfile();
  expect(p.getPayment().getCreditCard().getCardNumber() === 'XXXX1111', 'masked card kept');
  expect(p.getPayment().getCreditCard().getExpirationDate() === 'XXXX', 'masked expiry');
  expect(p.getBillTo().getLastName() === 'Lee-Park', 'billTo updated');
}

async function profileAuthCapture() {
  const t = new C.ProfileTransAuthCaptureType();
  t.setAmount(12.34);
  t.setCustomerProfileId(state.profile);
  t.setCustomerPaymentProfileId(state.pp1);
  t.setCustomerShippingAddressId(state.addr1);
  const tx = new C.ProfileTransactionType();
  tx.setProfileTransAuthCapture(t);
  const req = new C.CreateCustomerProfileTransactionRequest();
  req.setMerchantAuthentication(auth());
  req.setTransaction(tx);
  req.setExtraOptions('x_duplicate_window=0');
  const resp = new C.CreateCustomerProfileTransactionResponse(
    await call(K.CreateCustomerProfileTransactionController, req));
  expect(result(resp)[0] === 'Ok', `result ${result(resp)}`);
  const fields = String(resp.getDirectResponse()).split(',');
  expect(fields[0] === '1', `directResponse ${fields.slice(0, 4)}`);
  expect(fields[9] === '12.34' && fields[11] === 'auth_capture', `amount/type ${fields[9]} ${fields[11]}`);
  expect(fields[68] === state.addr1, `position 69 ${fields.slice(68, 70)}`);
  return `trans ${fields[6]}`;
}

async function transaction(kind, { amount, number, ref, exp = '2035-12' } = {}) {
  const tr = new C.TransactionRequestType();
  tr.setTransactionType(kind);
  if (amount !== undefined) tr.setAmount(amount);
  if (number !== undefined) tr.setPayment(card(number, exp));
  if (ref !== undefined) tr.setRefTransId(ref);
  // Each run charges the same cards and amounts: no duplicate window.
  const setting = new C.SettingType();
  setting.setSettingName(C.SettingNameEnum.DUPLICATEWINDOW);
  setting.setSettingValue('0');
  const settings = new C.ArrayOfSetting();
  settings.setSetting([setting]);
  tr.setTransactionSettings(settings);
  const req = new C.CreateTransactionRequest();
  req.setMerchantAuthentication(auth());
  req.setRefId('js-' + RUN);
  req.setTransactionRequest(tr);
  return new C.CreateTransactionResponse(await call(K.CreateTransactionController, req));
}

async function cardApprove() {
  const resp = await transaction(C.TransactionTypeEnum.AUTHCAPTURETRANSACTION, { amount: 5.0, number: '4111111111111111' });
  expect(result(resp)[0] === 'Ok', `result ${result(resp)}`);
  expect(resp.getRefId() === 'js-' + RUN, 'refId echoed');
  const tr = resp.getTransactionResponse();
  expect(tr.getResponseCode() === '1', `responseCode ${tr.getResponseCode()}`);
  expect(tr.getAccountNumber() === 'XXXX1111', `accountNumber ${tr.getAccountNumber()}`);
  expect(tr.getMessages().getMessage()[0].getCode() === '1', 'transaction message');
  state.txn = String(tr.getTransId());
  return `trans ${state.txn}`;
}

async function cardInvalid() {
  const resp = await transaction(C.TransactionTypeEnum.AUTHCAPTURETRANSACTION, { amount: '5.00', number: '4111111111111112' });
  const [rc, code] = result(resp);
  expect(rc === 'Error' && code === 'E00027', `result ${result(resp)}`);
  const tr = resp.getTransactionResponse();
  expect(tr.getResponseCode() === '3', `responseCode ${tr.getResponseCode()}`);
  expect(tr.getErrors().getError()[0].getErrorCode() === '6', 'error code 6');
}

async function voidTxn() {
  expect(state.txn, 'no transaction to void');
  const resp = await transaction(C.TransactionTypeEnum.VOIDTRANSACTION, { ref: state.txn });
  expect(result(resp)[0] === 'Ok', `result ${result(resp)}`);
  expect(resp.getTransactionResponse().getResponseCode() === '1', 'void approved');
}

function settle() {
  return new Promise((resolve, reject) => {
    const req = http.request(CONTROL + '/_sandbox/settle', { method: 'POST' }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`settle: HTTP ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end();
  });
}

async function refundAfterSettlement() {
  const charge = await transaction(C.TransactionTypeEnum.AUTHCAPTURETRANSACTION, { amount: 20, number: '4007000000027' });
  expect(charge.getTransactionResponse().getResponseCode() === '1', 'charge approved');
  const transId = String(charge.getTransactionResponse().getTransId());
  await settle();
  const resp = await transaction(C.TransactionTypeEnum.REFUNDTRANSACTION, { amount: 7.5, number: '0027', ref: transId, exp: 'XXXX' });
  expect(result(resp)[0] === 'Ok', `result ${result(resp)}`);
  expect(resp.getTransactionResponse().getResponseCode() === '1', 'refund approved');
  return `refunded 7.50 of ${transId}`;
}

async function profileIds() {
  const req = new C.GetCustomerProfileIdsRequest();
  req.setMerchantAuthentication(auth());
  const resp = new C.GetCustomerProfileIdsResponse(await call(K.GetCustomerProfileIdsController, req));
  expect(result(resp)[0] === 'Ok', `result ${result(resp)}`);
  const ids = resp.getIds().getNumericString().map(String);
  expect(ids.includes(state.profile), 'profile id listed');
  return `${ids.length} ids`;
}

async function wrongKey() {
  const req = new C.GetCustomerProfileIdsRequest();
  req.setMerchantAuthentication(auth('WrongKey00000000'));
  const resp = new C.GetCustomerProfileIdsResponse(await call(K.GetCustomerProfileIdsController, req));
  const [rc, code] = result(resp);
  expect(rc === 'Error' && code === 'E00007', `result ${result(resp)}`);
}

async function deleteShippingAddress() {
  const req = new C.DeleteCustomerShippingAddressRequest();
  req.setMerchantAuthentication(auth());
  req.setCustomerProfileId(state.profile);
  req.setCustomerAddressId(state.addr2);
  const resp = new C.DeleteCustomerShippingAddressResponse(await call(K.DeleteCustomerShippingAddressController, req));
  expect(result(resp)[0] === 'Ok', `result ${result(resp)}`);
}

function deleteProfile(expected) {
  return async () => {
    const req = new C.DeleteCustomerProfileRequest();
    req.setMerchantAuthentication(auth());
    req.setCustomerProfileId(state.profile);
    const resp = new C.DeleteCustomerProfileResponse(await call(K.DeleteCustomerProfileController, req));
    const [rc, code] = result(resp);
    expect(rc === expected[0] && code === expected[1], `result ${result(resp)}`);
  };
}

async function getAfterDelete() {
  const req = new C.GetCustomerProfileRequest();
  req.setMerchantAuthentication(auth());
  req.setCustomerProfileId(state.profile);
  const resp = new C.GetCustomerProfileResponse(await call(K.GetCustomerProfileController, req));
  const [rc, code] = result(resp);
  expect(rc === 'Error' && code === 'E00040', `result ${result(resp)}`);
}

async function validatePaymentProfile() {
  const req = new C.ValidateCustomerPaymentProfileRequest();
  req.setMerchantAuthentication(auth());
  req.setCustomerProfileId(state.profile);
  req.setCustomerPaymentProfileId(state.pp2);
  req.setValidationMode(C.ValidationModeEnum.TESTMODE);
  const resp = new C.ValidateCustomerPaymentProfileResponse(
    await call(K.ValidateCustomerPaymentProfileController, req));
  expect(result(resp)[0] === 'Ok', `result ${result(resp)}`);
  const fields = String(resp.getDirectResponse()).split(',');
  expect(fields[0] === '1' && fields[6] === '0', `directResponse ${fields.slice(0, 7)}`);
}

async function updateProfile() {
  const p = new C.CustomerProfileExType();
  p.setMerchantCustomerId('js-' + RUN);
  p.setDescription('Node SDK life cycle (updated)');
  p.setEmail(`js-${RUN}@example.com`);
  p.setCustomerProfileId(state.profile);
  const req = new C.UpdateCustomerProfileRequest();
  req.setMerchantAuthentication(auth());
  req.setProfile(p);
  const resp = new C.UpdateCustomerProfileResponse(await call(K.UpdateCustomerProfileController, req));
  expect(result(resp)[0] === 'Ok', `result ${result(resp)}`);
}

async function updateAndGetShippingAddress() {
  const a = address('Bo', 'Lee', '78 Pier Ave', '98007', C.CustomerAddressExType);
  a.setCustomerAddressId(state.addr2);
  const req = new C.UpdateCustomerShippingAddressRequest();
  req.setMerchantAuthentication(auth());
  req.setCustomerProfileId(state.profile);
  req.setAddress(a);
  const resp = new C.UpdateCustomerShippingAddressResponse(await call(K.UpdateCustomerShippingAddressController, req));
  expect(result(resp)[0] === 'Ok', `result ${result(resp)}`);
  const get = new C.GetCustomerShippingAddressRequest();
  get.setMerchantAuthentication(auth());
  get.setCustomerProfileId(state.profile);
  get.setCustomerAddressId(state.addr2);
  const got = new C.GetCustomerShippingAddressResponse(await call(K.GetCustomerShippingAddressController, get));
  expect(result(got)[0] === 'Ok', `result ${result(got)}`);
  expect(got.getAddress().getAddress() === '78 Pier Ave', `address ${got.getAddress().getAddress()}`);
}

async function profileAuthOnlyThenCapture() {
  const t = new C.ProfileTransAuthOnlyType();
  t.setAmount(30);
  t.setCustomerProfileId(state.profile);
  t.setCustomerPaymentProfileId(state.pp2);
  let tx = new C.ProfileTransactionType();
  tx.setProfileTransAuthOnly(t);
  let req = new C.CreateCustomerProfileTransactionRequest();
  req.setMerchantAuthentication(auth());
  req.setTransaction(tx);
  req.setExtraOptions('x_duplicate_window=0');
  let resp = new C.CreateCustomerProfileTransactionResponse(await call(K.CreateCustomerProfileTransactionController, req));
  expect(result(resp)[0] === 'Ok', `auth ${result(resp)}`);
  const fields = String(resp.getDirectResponse()).split(',');
  expect(fields[11] === 'auth_only', `type ${fields[11]}`);
  const c = new C.ProfileTransPriorAuthCaptureType();
  c.setAmount('25.00');
  c.setCustomerProfileId(state.profile);
  c.setCustomerPaymentProfileId(state.pp2);
  c.setTransId(fields[6]);
  tx = new C.ProfileTransactionType();
  tx.setProfileTransPriorAuthCapture(c);
  req = new C.CreateCustomerProfileTransactionRequest();
  req.setMerchantAuthentication(auth());
  req.setTransaction(tx);
  resp = new C.CreateCustomerProfileTransactionResponse(await call(K.CreateCustomerProfileTransactionController, req));
  expect(result(resp)[0] === 'Ok', `capture ${result(resp)}`);
  const cap = String(resp.getDirectResponse()).split(',');
  expect(cap[0] === '1' && cap[11] === 'prior_auth_capture', `capture ${cap.slice(0, 12)}`);
  return `captured 25.00 of ${fields[6]}`;
}

async function deletePaymentProfile() {
  const req = new C.DeleteCustomerPaymentProfileRequest();
  req.setMerchantAuthentication(auth());
  req.setCustomerProfileId(state.profile);
  req.setCustomerPaymentProfileId(state.pp2);
  const resp = new C.DeleteCustomerPaymentProfileResponse(await call(K.DeleteCustomerPaymentProfileController, req));
  expect(result(resp)[0] === 'Ok', `result ${result(resp)}`);
}

(async () => {
  await step('create profile (card + ship-to, testMode)', createProfile);
  await step('duplicate create -> E00039 naming the id', duplicateCreate);
  await step('get profile before adds', getProfile(1, 1));
  await step('add payment profile (liveMode)', addPaymentProfile);
  await step('duplicate payment profile -> E00039', duplicatePaymentProfile);
  await step('add shipping address', addShippingAddress);
  await step('get profile after adds', getProfile(2, 2));
  await step('update payment profile with masked card', updatePaymentProfile);
  await step('get payment profile (masked, updated)', getPaymentProfile);
  await step('profile transaction auth-capture', profileAuthCapture);
  await step('createTransaction card approve', cardApprove);
  await step('createTransaction invalid card', cardInvalid);
  await step('void', voidTxn);
  await step('refund after settlement', refundAfterSettlement);
  await step('get profile ids', profileIds);
  await step('wrong key -> E00007', wrongKey);
  await step('validate payment profile (testMode)', validatePaymentProfile);
  await step('update profile', updateProfile);
  await step('update and get shipping address', updateAndGetShippingAddress);
  await step('profile auth-only then prior-auth-capture', profileAuthOnlyThenCapture);
  await step('delete shipping address', deleteShippingAddress);
  await step('get profile after delete of address', getProfile(2, 1));
  await step('delete payment profile', deletePaymentProfile);
  await step('get profile after delete of payment profile', getProfile(1, 1));
  await step('delete profile', deleteProfile(['Ok', 'I00001']));
  await step('delete profile again -> E00040', deleteProfile(['Error', 'E00040']));
  await step('get profile after delete -> E00040', getAfterDelete);
  const failed = results.filter(([, ok]) => !ok).length;
  console.log(`node sdk: ${results.length - failed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
})();
