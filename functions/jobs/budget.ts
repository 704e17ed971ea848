// Cloudflare counts every fetch a Worker invocation makes, and every call
// to a binding such as a Queue, as a subrequest
// (developers.cloudflare.com/workers/platform/limits/#subrequests); each
// libSQL statement or batch is one fetch to the database. Workers Paid,
// which Relate needs (README), allows 10,000 per invocation and Free 50.
// Jobs plan for a tenth of Paid's allowance, so a lower [limits] setting or
// a change of plan terms still leaves them room: a job with more to do
// than one invocation's worth continues in a new queue message instead.
export const SUBREQUESTS_PER_INVOCATION = 1_000;
