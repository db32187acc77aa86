// The consequences of removal, as the procedure states them, in one place so the case message,
// the approval message and the final summary all say the same thing.

export interface Consequence {
  id: "customer_list" | "support_contact" | "delegated_admin" | "future_purchases";
  text: string;
  doneText: string;
}

export const REMOVAL_CONSEQUENCES: readonly Consequence[] = [
  { id: "customer_list", text: "The customer is removed from your customer list in Partner Center.", doneText: "Removed from your customer list." },
  { id: "support_contact", text: "You are removed from the customer's list of support contacts.", doneText: "Removed from the customer's support contacts." },
  { id: "delegated_admin", text: "Your delegated admin privileges (DAP) for the customer are removed.", doneText: "Delegated admin privileges removed." },
  { id: "future_purchases", text: "You can make no future purchases for the customer.", doneText: "Future purchases for the customer are blocked." },
];

/** Removal is not documented to end GDAP relationships; the operator has to end them separately. */
export const GDAP_REMINDER =
  "Granular delegated admin (GDAP) relationships are not ended by this removal. Terminate them separately in Partner Center (Customers → Admin relationships) or through Microsoft Graph.";

export const RELINK_NEXT_STEP = "Next step, if you work with this customer again: send them the request link to re-establish a reseller relationship.";
