// Partner Center answers in camelCase mostly and PascalCase in places (Attributes.Etag, the error
// body's Code); every answer goes through camelCaseKeys before its schema reads it.
import { camelCaseKeys } from "../../src/partner-center/response-schemas";

test("lower-cases each key's first letter at every depth, arrays included, and keeps the values", () => {
  const answer = JSON.parse(
    '{"TotalCount":2,"items":[{"Id":"a","Attributes":{"Etag":"e1","ObjectType":"Subscription"},"quantity":3},{"id":"b","attributes":{"etag":null}}],"Links":{"Next":{"Uri":"/customers?seek=1","Headers":[{"Key":"MS-ContinuationToken","Value":"t"}]}},"Ärger":true}',
  ) as unknown;
  expect(camelCaseKeys(answer)).toEqual({
    totalCount: 2,
    items: [
      { id: "a", attributes: { etag: "e1", objectType: "Subscription" }, quantity: 3 },
      { id: "b", attributes: { etag: null } },
    ],
    links: { next: { uri: "/customers?seek=1", headers: [{ key: "MS-ContinuationToken", value: "t" }] } },
    ärger: true,
  });
});

test("a __proto__ key in an answer is dropped, never made the copy's prototype", () => {
  const copy = camelCaseKeys(JSON.parse('{"id":"a","__proto__":{"status":"active"}}')) as Record<string, unknown>;
  expect(copy).toEqual({ id: "a" });
  expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
  expect(copy.status).toBeUndefined();
});

test("values other than objects and arrays come back as they are", () => {
  expect(camelCaseKeys("Text")).toBe("Text");
  expect(camelCaseKeys(null)).toBeNull();
  expect(camelCaseKeys(7)).toBe(7);
});
