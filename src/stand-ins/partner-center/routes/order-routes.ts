// Orders: the customer's orders, one order, and cancelling a software purchase.
import { z } from "zod";
import { HttpError, json } from "../answers";
import type { EmuCustomer, EmuOrder } from "../emulator-state";
import { collection, link, orderJson } from "../resource-shapes";
import { orderHeld, orderWindowClosed } from "../service-rules";
import type { EmulatorWorld } from "../world";
import type { Route } from "./route-table";

const lineRefs = z.array(z.object({ lineItemNumber: z.number(), offerId: z.string() })).min(1);

function findOrder(c: EmuCustomer, orderId: string): EmuOrder {
  const o = c.orders.find((x) => x.id.toLowerCase() === orderId.toLowerCase());
  if (!o) throw new HttpError(404, 800002, `Order ${orderId} was not found for customer ${c.id}.`);
  return o;
}

export function orderRoutes(world: EmulatorWorld): Route[] {
  return [
    {
      method: "GET",
      pattern: "customers/{customer}/orders",
      handle: ([id = ""]) => {
        const c = world.findCustomer(id);
        return json(200, collection(c.orders.map((o) => orderJson(c.id, o)), { links: { self: link(`/customers/${c.id}/orders`) } }));
      },
    },
    {
      method: "GET",
      pattern: "customers/{customer}/orders/{order}",
      handle: ([id = "", orderId = ""]) => {
        const c = world.findCustomer(id);
        return json(200, orderJson(c.id, findOrder(c, orderId)));
      },
    },
    {
      method: "PATCH",
      pattern: "customers/{customer}/orders/{order}",
      handle: ([id = "", orderId = ""], { body }) => {
        const c = world.findCustomer(id);
        const o = findOrder(c, orderId);
        if (String(body.status ?? "").toLowerCase() !== "cancelled") throw new HttpError(400, 3000, "Invalid property: status must be cancelled.");
        // the lines to cancel, as the documented request names them (lineItemNumber and offerId)
        const named = lineRefs.safeParse(body.lineItems);
        if (!named.success) throw new HttpError(400, 3000, "Invalid property: lineItems (lineItemNumber and offerId of each line to cancel) is required.");
        const lines = named.data.map((item) => {
          const line = o.lineItems.find((l) => l.lineItemNumber === item.lineItemNumber && l.offerId === item.offerId);
          if (!line) throw new HttpError(400, 3000, `Invalid property: lineItems does not match order ${o.id}.`);
          return line;
        });
        if (!orderHeld(o) || lines.every((l) => l.quantity === 0)) throw new HttpError(400, 800040, `Order ${o.id} is already cancelled.`);
        if (orderWindowClosed(o.cancellationAllowedUntilDate)) {
          throw new HttpError(400, 800096, `Cannot cancel order ${o.id}: its cancellation window closed on ${o.cancellationAllowedUntilDate}.`);
        }
        // each named line goes to quantity 0; the order stays "completed" (cancel-software-purchases.http #3)
        for (const line of lines) line.quantity = 0;
        world.changed();
        // camelCase like the order reads
        return json(200, orderJson(c.id, o));
      },
    },
  ];
}
