// What the portfolio scan says of a candidate's GDAP relationships: read only for the classes it
// offers for removal, counted with the decisions an approved removal would take, and a status the
// app does not know named, never counted as ended.
import { type GdapRelationship, CLEANUP_CLASSES, scanGdapOpen, scanGdapWords, scanReadsGdap, summarizeScanGdap } from "../../src/domain";

const relationship = (status: string, n = 1): GdapRelationship => ({
  id: `rel-${status}-${n}`,
  displayName: `Managed services ${n}`,
  status,
  customerTenantId: "t-1",
  customerName: "Contoso",
  roleIds: [],
  duration: "P730D",
  createdAt: null,
  activatedAt: null,
  endsAt: null,
  etag: null,
});

test("read for the classes offered for removal only", () => {
  expect(CLEANUP_CLASSES.filter(scanReadsGdap)).toEqual(["ready", "suspend_only"]);
});

test("counts what a removal would end, what is ended already, and what the app does not know", () => {
  const gdap = summarizeScanGdap([relationship("active"), relationship("approvalPending"), relationship("created"), relationship("terminated"), relationship("expiring"), relationship("unknownFutureValue")]);
  expect(gdap).toEqual({ read: "ok", toEnd: 3, unrecognised: 1, total: 6 });
  expect(scanGdapWords(gdap)).toBe("3 to end, 1 in a status the app does not recognise, 2 ended or ending");
  expect(scanGdapOpen(gdap)).toBe(true);
});

test("none, only ended ones, not read and not checked each say so", () => {
  expect(scanGdapWords(summarizeScanGdap([]))).toBe("none");
  expect(scanGdapOpen(summarizeScanGdap([]))).toBe(false);
  const ended = summarizeScanGdap([relationship("terminated"), relationship("expired", 2)]);
  expect(scanGdapWords(ended)).toBe("0 to end, 2 ended or ending");
  expect(scanGdapOpen(ended)).toBe(false);
  // only an unrecognised one still counts as open: nobody can say it grants nothing
  expect(scanGdapOpen(summarizeScanGdap([relationship("somethingNew")]))).toBe(true);
  expect(scanGdapWords({ read: "failed", error: "Graph answered 403: Insufficient privileges" })).toBe("not read: Graph answered 403: Insufficient privileges");
  expect(scanGdapOpen({ read: "failed", error: "x" })).toBe(false);
  expect(scanGdapWords({ read: "not_checked" })).toBe("");
});
