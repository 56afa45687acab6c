// Package plan reviews a change of network configuration: given the
// rendered base and head revisions of a repository path, and what is known
// of the cluster (its nodes, namespaces and pods), it reports what the
// change will do before it is merged.
//
//   - Validation findings of head, split into new ones and ones already in
//     base, and the findings the change fixes.
//   - Object changes by kind, field by field after defaulting (package
//     diff): cosmetic edits such as reordering or quoting show nothing.
//     Objects lists what the next sync creates, changes and prunes.
//     Objects of review-only kinds (api.Kind.Applied false:
//     ConnectivityTest, Inventory) are never applied: their changes are
//     listed apart, in ReviewOnly, and neither counted in the summary nor
//     weighed as risks; they are evaluated as everywhere else.
//   - BGP impact (package topology): every node's sessions before and
//     after, the sessions added, removed and changed, session counts (a
//     mesh's N×(N−1)/2 against route reflectors), nodes left without a
//     session, and sessions that contradict the Fabric.
//   - Pool impact: IPPools added, removed and changed (CIDR, block size,
//     encapsulation, NAT), and overlaps.
//   - Policy impact (package policies): every ConnectivityTest case before
//     and after, and the flows between the inventory's endpoints whose
//     verdict changes, each with the rule that decides it.
//   - A risk level per change with its reason, and whether anything blocks
//     the change.
//
// The Report renders as Markdown for a pull-request comment, as JSON, and
// as SARIF for code-scanning tools. The repository's text is shown, never
// obeyed: whatever its names, kinds, values and messages hold, the comment
// has the same headings, tables, sections and single marker line, and
// mentions no one; the SARIF log is valid JSON of the same shape, with the
// text intact.
//
// # Markdown
//
// Every repository string reaches the comment through one escaping
// function per context (package internal/mdescape): Text for text, Code for
// names, Cell around either in a table, Fence for traces, Comment for the
// path in the marker line. The report's own HTML (the <summary> lines)
// holds only counts. FuzzMarkdown parses comments with a CommonMark and
// GFM parser to hold them to it.
//
// plan is pure: it reads no files, clusters or clocks; the caller renders
// the revisions (from Git, with render.Tree) and gathers the cluster's
// description. The same Input gives the same Report, byte for byte.
package plan
