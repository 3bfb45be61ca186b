// Issue 15, coupons and promo codes, end to end through the gateway: an operator's
// 20 % coupon for 3 periods discounts exactly three invoices before KDV (the fourth
// is at full price), a sign-up promo code takes effect when the organisation
// subscribes, every code that cannot be used gets the same coded answer, and the
// redemption limit holds under concurrent redemptions (single-document update).
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { validateUblInvoice } from '../../services/billing/test/support/ubl-schema.ts';
import { LOG_IN, clientIp, signUpAndVerify, type SignedUp } from '../support/accounts.ts';
import { CANCEL_SUBSCRIPTION, fetchInvoicePdf, readInvoices, readSubscription, secondsPolicy, waitFor, type Invoice } from '../support/billing.ts';
import { errorCodes, graphql, type GraphQLResponse } from '../support/graphql.ts';
import { E2E_OPERATOR } from './stack-info.ts';

const stack = inject('stack');
const gw = stack.gatewayUrl;
const suffix = randomUUID().slice(0, 8).toUpperCase();

/** Short periods, so four invoices come within seconds; a long one where one invoice is enough. */
const SHORT = secondsPolicy(`e2e-coupon-short-${suffix}`, 'E2E coupon policy, short periods', { billingPeriod: 'PT5S' });
const LONG = secondsPolicy(`e2e-coupon-long-${suffix}`, 'E2E coupon policy, one period', { billingPeriod: 'PT1H' });
const plan = (code: string, policyCode: string) => ({ code, name: `E2E ${code}`, policyCode, prices: [{ currency: 'TRY', amountMinor: 1_000_00 }] });
const SHORT_PLAN = plan(`e2e-coupon-plan-${suffix}`, SHORT.code);
const LONG_PLAN = plan(`e2e-coupon-once-${suffix}`, LONG.code);
const OTHER_PLAN = plan(`e2e-coupon-other-${suffix}`, LONG.code);

const COUPON_FIELDS = 'id code name percentOffBasisPoints amountsOff { amountMinor currency } duration durationPeriods planCodes maxRedemptions redemptionCount expiresAt active';
const CREATE_COUPON = `mutation($input: CouponInput!) { createCoupon(input: $input) { ${COUPON_FIELDS} } }`;
const START = `mutation($input: StartSubscriptionInput!) { startSubscription(input: $input) {
  subscription { id status history { type detail } discount { code percentOffBasisPoints duration durationPeriods source } }
  userErrors { code field }
} }`;
const DISCOUNT = 'query($id: ID!) { subscription(id: $id) { discount { code amountsOff { amountMinor currency } duration source } history { type detail } } }';

let operatorToken: string;

async function createCoupon(input: Record<string, unknown>) {
  const response = await graphql(gw, CREATE_COUPON, { token: operatorToken, variables: { input } });
  expect(response.errors).toBeUndefined();
  return response.data!.createCoupon as { id: string; code: string; redemptionCount: number };
}

function subscribe(owner: SignedUp, planCode: string, promoCode?: string): Promise<GraphQLResponse> {
  return graphql(gw, START, {
    token: owner.accessToken,
    variables: { input: { organizationId: owner.organizationId, planCode, currency: 'TRY', paymentMethodToken: 'sandbox_ok', ...(promoCode ? { promoCode } : {}) } },
  });
}

const oldestFirst = (invoices: Invoice[]) => invoices.toSorted((a, b) => a.number.localeCompare(b.number));
const discountLines = (invoice: Invoice) => invoice.lines.filter((line) => line.kind === 'DISCOUNT');

beforeAll(async () => {
  const login = await graphql(gw, LOG_IN, { variables: E2E_OPERATOR, headers: { 'x-forwarded-for': clientIp() } });
  operatorToken = login.data!.logIn.accessToken;
  for (const policy of [SHORT, LONG]) {
    const created = await graphql(gw, 'mutation($input: ContractPolicyInput!) { createContractPolicy(input: $input) { id } }', { token: operatorToken, variables: { input: policy } });
    expect(created.errors).toBeUndefined();
  }
  for (const p of [SHORT_PLAN, LONG_PLAN, OTHER_PLAN]) {
    const created = await graphql(gw, 'mutation($input: PlanInput!) { createPlan(input: $input) { id } }', { token: operatorToken, variables: { input: p } });
    expect(created.errors).toBeUndefined();
  }
}, 60_000);

describe('coupons and promo codes through the gateway (issue 15)', () => {
  it('a 20 % coupon for 3 periods appears on exactly 3 invoices, before KDV; the 4th is at full price', async () => {
    const coupon = await createCoupon({ code: `spring20-${suffix}`, name: 'Spring 20 %', percentOffBasisPoints: 2000, duration: 'REPEATING', durationPeriods: 3, planCodes: [SHORT_PLAN.code], maxRedemptions: 10 });
    expect(coupon.code).toBe(`SPRING20-${suffix}`);
    const owner = await signUpAndVerify(stack);
    // codes are matched without regard to case
    const started = await subscribe(owner, SHORT_PLAN.code, `Spring20-${suffix.toLowerCase()}`);
    expect(started.errors).toBeUndefined();
    const subscription = started.data!.startSubscription.subscription;
    expect(subscription.discount).toEqual({ code: coupon.code, percentOffBasisPoints: 2000, duration: 'REPEATING', durationPeriods: 3, source: 'SUBSCRIBE' });
    expect(subscription.history).toContainEqual({ type: 'COUPON_APPLIED', detail: `${coupon.code}: 20 % off for 3 periods` });

    const invoices = oldestFirst(await waitFor(() => readInvoices(gw, owner.accessToken, owner.organizationId), (list) => list.length >= 4, 45_000, 500));
    await graphql(gw, CANCEL_SUBSCRIPTION, { token: owner.accessToken, variables: { id: subscription.id } });
    const [first, second, third, fourth] = invoices;
    for (const discounted of [first!, second!, third!]) {
      expect(discountLines(discounted).map((line) => line.amount.amountMinor)).toEqual([-200_00]);
      // KDV 20 % on ₺800 (the discounted amount), not on ₺1000
      expect([discounted.subtotal.amountMinor, discounted.tax.amountMinor, discounted.total.amountMinor]).toEqual([800_00, 160_00, 960_00]);
    }
    expect(discountLines(fourth!)).toEqual([]);
    expect([fourth!.subtotal.amountMinor, fourth!.tax.amountMinor, fourth!.total.amountMinor]).toEqual([1_000_00, 200_00, 1_200_00]);
    expect(invoices.slice(4).every((invoice) => discountLines(invoice).length === 0)).toBe(true);

    // The UBL-TR XML carries the discount as an allowance and still validates; the PDF downloads.
    const detail = await graphql(gw, 'query($id: ID!) { invoice(id: $id) { ublUrl lines { kind description } } }', { token: owner.accessToken, variables: { id: first!.id } });
    expect(detail.data!.invoice.lines).toContainEqual({ kind: 'DISCOUNT', description: `Coupon ${coupon.code}: 20 % off (1 of 3)` });
    const ubl = await fetchInvoicePdf(gw, detail.data!.invoice.ublUrl, owner.accessToken);
    const xml = ubl.body.toString('utf8');
    expect((await validateUblInvoice(xml)).errors).toEqual([]);
    expect(xml).toContain('<cbc:AllowanceTotalAmount currencyID="TRY">200.00</cbc:AllowanceTotalAmount>');
    expect((await fetchInvoicePdf(gw, first!.pdfUrl, owner.accessToken)).status).toBe(200);

    const listed = await graphql(gw, `{ coupons(active: true) { code redemptionCount } }`, { token: operatorToken });
    expect(listed.data!.coupons).toContainEqual({ code: coupon.code, redemptionCount: 1 });
  }, 90_000);

  it("the promo code given at sign-up takes effect when the organisation's subscription is created", async () => {
    const coupon = await createCoupon({ code: `welcome-${suffix}`, name: 'Welcome ₺100', amountsOff: [{ currency: 'TRY', amountMinor: 100_00 }], duration: 'ONCE' });
    const owner = await signUpAndVerify(stack, { promoCode: coupon.code.toLowerCase() });
    const started = await subscribe(owner, LONG_PLAN.code);
    expect(started.errors).toBeUndefined();
    const id = started.data!.startSubscription.subscription.id;
    const [invoice] = await waitFor(() => readInvoices(gw, owner.accessToken, owner.organizationId), (list) => list.length >= 1, 30_000);
    expect(discountLines(invoice!).map((line) => line.amount.amountMinor)).toEqual([-100_00]);
    expect([invoice!.subtotal.amountMinor, invoice!.tax.amountMinor, invoice!.total.amountMinor]).toEqual([900_00, 180_00, 1_080_00]);
    const read = await graphql(gw, DISCOUNT, { token: owner.accessToken, variables: { id } });
    expect(read.data!.subscription.discount).toEqual({ code: coupon.code, amountsOff: [{ amountMinor: 100_00, currency: 'TRY' }], duration: 'ONCE', source: 'SIGN_UP' });
    expect(read.data!.subscription.history.map((e: { type: string }) => e.type)).toContain('COUPON_APPLIED');
    // A second subscription of the same organisation does not get the sign-up code again.
    const again = await subscribe(owner, OTHER_PLAN.code);
    const second = again.data!.startSubscription.subscription.id;
    await waitFor(() => readInvoices(gw, owner.accessToken, owner.organizationId), (list) => list.length >= 2, 30_000);
    expect((await readSubscription(gw, owner.accessToken, second))!.history.map((e) => e.type)).not.toContain('COUPON_APPLIED');
    for (const s of [id, second]) await graphql(gw, CANCEL_SUBSCRIPTION, { token: owner.accessToken, variables: { id: s } });
  }, 60_000);

  it('unknown, expired, exhausted, deactivated and other-plan codes all get the same coded BAD_USER_INPUT, and nothing is created', async () => {
    const other = await createCoupon({ code: `other-${suffix}`, name: 'Other plan only', percentOffBasisPoints: 1000, duration: 'FOREVER', planCodes: [OTHER_PLAN.code] });
    const single = await createCoupon({ code: `single-${suffix}`, name: 'One use', percentOffBasisPoints: 1000, duration: 'ONCE', maxRedemptions: 1 });
    const expiring = await createCoupon({ code: `expiring-${suffix}`, name: 'Expiring', percentOffBasisPoints: 1000, duration: 'ONCE', expiresAt: new Date(Date.now() + 1_500).toISOString() });
    const retired = await createCoupon({ code: `retired-${suffix}`, name: 'Retired', percentOffBasisPoints: 1000, duration: 'ONCE' });
    const deactivated = await graphql(gw, 'mutation($id: ID!) { deactivateCoupon(id: $id) { active } }', { token: operatorToken, variables: { id: retired.id } });
    expect(deactivated.data!.deactivateCoupon.active).toBe(false);
    const first = await signUpAndVerify(stack);
    expect((await subscribe(first, LONG_PLAN.code, single.code)).data!.startSubscription.userErrors).toEqual([]);
    await sleep(1_600);

    const owner = await signUpAndVerify(stack);
    const messages = new Set<string>();
    for (const code of [`NOPE-${suffix}`, other.code, single.code, expiring.code, retired.code]) {
      const refused = await subscribe(owner, LONG_PLAN.code, code);
      expect(errorCodes(refused), code).toEqual(['BAD_USER_INPUT']);
      expect(refused.errors![0]!.message).toMatch(/promosyon kodu geçerli değil|promo code is not valid/);
      expect(JSON.stringify(refused.errors)).not.toMatch(/stacktrace|\.ts:\d+|EXPIRED|EXHAUSTED|NOT_FOR_PLAN|INACTIVE/);
      messages.add(refused.errors![0]!.message);
    }
    expect(messages.size).toBe(1);
    const subscriptions = await graphql(gw, 'query($o: ID!) { organization(id: $o) { subscriptions { id } } }', { token: owner.accessToken, variables: { o: owner.organizationId } });
    expect(subscriptions.data!.organization.subscriptions).toEqual([]);
  }, 60_000);

  it('the redemption limit holds when organisations redeem at the same moment', async () => {
    const limited = await createCoupon({ code: `rush-${suffix}`, name: 'First two', percentOffBasisPoints: 5000, duration: 'ONCE', maxRedemptions: 2 });
    const owners = await Promise.all(Array.from({ length: 6 }, () => signUpAndVerify(stack)));
    const answers = await Promise.all(owners.map((owner) => subscribe(owner, LONG_PLAN.code, limited.code)));
    const redeemed = answers.filter((answer) => !answer.errors);
    expect(redeemed).toHaveLength(2);
    expect(answers.filter((answer) => errorCodes(answer)[0] === 'BAD_USER_INPUT')).toHaveLength(4);
    const listed = await graphql(gw, `{ coupons { code redemptionCount maxRedemptions } }`, { token: operatorToken });
    expect(listed.data!.coupons).toContainEqual({ code: limited.code, redemptionCount: 2, maxRedemptions: 2 });
    for (const [index, answer] of answers.entries()) {
      if (!answer.errors) await graphql(gw, CANCEL_SUBSCRIPTION, { token: owners[index]!.accessToken, variables: { id: answer.data!.startSubscription.subscription.id } });
    }
  }, 60_000);

  it('only billing operators manage coupons; bad coupon input is a coded BAD_USER_INPUT naming the field', async () => {
    const customer = await signUpAndVerify(stack);
    const input = { code: `rogue-${suffix}`, name: 'Rogue', percentOffBasisPoints: 10_000, duration: 'FOREVER' };
    expect(errorCodes(await graphql(gw, CREATE_COUPON, { token: customer.accessToken, variables: { input } }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await graphql(gw, '{ coupons { code } }', { token: customer.accessToken }))).toEqual(['FORBIDDEN']);
    const both = await graphql(gw, CREATE_COUPON, { token: operatorToken, variables: { input: { ...input, amountsOff: [{ currency: 'TRY', amountMinor: 100 }] } } });
    expect(errorCodes(both)).toEqual(['BAD_USER_INPUT']);
    expect(both.errors![0]!.message).toContain('input.percentOffBasisPoints');
    const repeating = await graphql(gw, CREATE_COUPON, { token: operatorToken, variables: { input: { ...input, duration: 'REPEATING' } } });
    expect(errorCodes(repeating)).toEqual(['BAD_USER_INPUT']);
    expect(repeating.errors![0]!.message).toContain('input.durationPeriods');
    const created = await createCoupon(input);
    const duplicate = await graphql(gw, CREATE_COUPON, { token: operatorToken, variables: { input: { ...input, code: input.code.toUpperCase() } } });
    expect(errorCodes(duplicate)).toEqual(['BAD_USER_INPUT']);
    expect(duplicate.errors![0]!.message).toContain('input.code');
    expect(errorCodes(await graphql(gw, 'mutation($id: ID!) { deactivateCoupon(id: $id) { active } }', { token: customer.accessToken, variables: { id: created.id } }))).toEqual(['FORBIDDEN']);
  }, 60_000);
});
