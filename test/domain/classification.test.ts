import { AZURE_PLAN_PRODUCT_ID, classifyEntitlementType, classifyOffer, classifySubscriptionStatus, reservationStanding } from "../../src/domain";
import { DAY, NOW, at, reservation } from "./fixtures";

describe("classifyOffer", () => {
  test.each([
    ["796B6B5F-613C-4E24-A17C-EBA730D49C02", "legacy"],
    ["0cca44d6-68e9-4762-94ee-31ece98783b9", "legacy"],
    ["MS-AZR-0145P", "legacy"],
    ["CFQ7TTC0LH18:0001:CFQ7TTC0K59S", "nce"],
    ["CFQ7TTC0LH18:0001", "nce"],
    // a marketplace offer from the documentation: cancelled inside its window like new commerce
    ["DZH318Z0BXWC:0001:DZH318Z0BMJX", "nce"],
    [`${AZURE_PLAN_PRODUCT_ID}:0001`, "azure_plan"],
    ["DZH318Z0BPS6:0001:DZH318Z0BPT4", "azure_plan"],
    ["", "unrecognised"],
    ["SOMETHING-NEW", "unrecognised"],
    ["CFQ7TTC0LH18:0001:CFQ7TTC0K59S:EXTRA", "unrecognised"],
  ])("%s is %s", (offerId, expected) => {
    expect(classifyOffer(offerId)).toBe(expected);
  });
});

describe("classifySubscriptionStatus", () => {
  test.each(["active", "suspended", "pending", "deleted", "expired", "disabled", "none"])("%s is known", (status) => {
    expect(classifySubscriptionStatus(status)).toBe(status);
    expect(classifySubscriptionStatus(status.toUpperCase())).toBe(status);
  });

  test.each(["frozen", "", "cancelled"])("%j is unrecognised", (status) => {
    expect(classifySubscriptionStatus(status)).toBe("unrecognised");
  });
});

describe("classifyEntitlementType", () => {
  test.each([
    ["software", "software"],
    ["reservedinstance", "reservation"],
    ["reservedInstance", "reservation"],
    ["virtualmachinereservedinstance", "reservation"],
    ["virtual_machine_reserved_instance", "reservation"],
    ["savingsplan", "unrecognised"],
    ["azure_savings_plan", "unrecognised"],
    ["", "unrecognised"],
  ])("%s is %s", (type, expected) => {
    expect(classifyEntitlementType(type)).toBe(expected);
  });
});

describe("reservationStanding", () => {
  test.each(["Succeeded", "Created", "Creating", "PendingBilling", "ConfirmedBilling"])("%s blocks", (provisioningState) => {
    expect(reservationStanding(reservation({ provisioningState }), NOW)).toBe("blocking");
  });

  test.each(["Cancelled", "canceled", "Expired", "Returned"])("%s is finished", (provisioningState) => {
    expect(reservationStanding(reservation({ provisioningState }), NOW)).toBe("finished");
  });

  test("past its expiry it is finished; with no details it blocks; an unknown state is unrecognised", () => {
    expect(reservationStanding(reservation({ expiresAt: at(-DAY) }), NOW)).toBe("finished");
    expect(reservationStanding(reservation({ provisioningState: null }), NOW)).toBe("blocking");
    expect(reservationStanding(reservation({ provisioningState: "Split" }), NOW)).toBe("unrecognised");
  });
});
