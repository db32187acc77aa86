import { GDAP_REMINDER, RELINK_NEXT_STEP, REMOVAL_CONSEQUENCES } from "../../src/domain";

describe("removal consequences", () => {
  test("are the four from the procedure, in order", () => {
    expect(REMOVAL_CONSEQUENCES.map((c) => c.id)).toEqual(["customer_list", "support_contact", "delegated_admin", "future_purchases"]);
    const byId = Object.fromEntries(REMOVAL_CONSEQUENCES.map((c) => [c.id, c.text]));
    expect(byId.customer_list).toMatch(/removed from your customer list/i);
    expect(byId.support_contact).toMatch(/support contacts/i);
    expect(byId.delegated_admin).toMatch(/delegated admin privileges/i);
    expect(byId.future_purchases).toMatch(/no future purchases/i);
  });

  test("each has words for before and after", () => {
    for (const c of REMOVAL_CONSEQUENCES) {
      expect(c.text.trim()).not.toBe("");
      expect(c.doneText.trim()).not.toBe("");
      expect(c.doneText).not.toBe(c.text);
    }
  });

  test("GDAP is called out as a separate step", () => {
    expect(GDAP_REMINDER).toMatch(/GDAP/);
    expect(GDAP_REMINDER).toMatch(/not ended/);
    expect(GDAP_REMINDER).toMatch(/separately/);
  });

  test("the next step points at re-establishing the relationship", () => {
    expect(RELINK_NEXT_STEP).toMatch(/re-establish a reseller relationship/);
  });
});
