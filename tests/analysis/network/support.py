"""Hand-built record sets for the network tests: small enough to reason about by hand."""

from __future__ import annotations

from narcolink.analysis.network import GraphBuilder, LinkGraph

Rec = tuple[str, str, dict[str, list[str]]]


def graph_of(
    records: list[Rec],
    agency: str = "ncb",
    since: str | None = None,
    until: str | None = None,
    agencies: dict[str, str] | None = None,
) -> LinkGraph:
    """A graph from (id, schema, props) triples; ids are used as captions too."""
    builder = GraphBuilder(since=since, until=until)
    for rid, schema, props in records:
        owner = (agencies or {}).get(rid, agency)
        builder.add(rid, schema, rid, owner, props, ("AMBER", "AMBER", "H1"))
    return builder.build()


# A small ring in the style of MED MAX: a seizure names two couriers; one of them directs
# a company that sends consignments; a boss abroad owns the company and is paid; an
# unrelated pharmacy shares only a big-building address with a courier.
RING: list[Rec] = [
    ("seizure", "Seizure", {"name": ["vehicle check"], "date": ["2025-05-18"],
                            "personsInvolved": ["arjun", "vikas"], "country": ["in"]}),
    ("arjun", "Person", {"name": ["Arjun"], "phone": ["+919000010101"], "country": ["in"]}),
    ("vikas", "Person", {"name": ["Vikas"], "country": ["in"], "addressEntity": ["home"]}),
    ("boss", "Person", {"name": ["Boss"], "country": ["ae"], "phone": ["+971500000001"]}),
    ("firm", "Company", {"name": ["MediRoute"], "phone": ["+919000010101"], "country": ["in"]}),
    ("dir1", "Directorship", {"director": ["arjun"], "organization": ["firm"],
                              "startDate": ["2023-11-02"]}),
    ("own1", "Ownership", {"owner": ["boss"], "asset": ["firm"], "startDate": ["2023-10-01"]}),
    ("pay1", "Payment", {"payer": ["arjun"], "beneficiary": ["boss"], "date": ["2025-03-01"],
                         "amount": ["5000"]}),
    ("pay2", "Payment", {"payer": ["vikas"], "beneficiary": ["boss"], "date": ["2025-04-01"],
                         "amount": ["4000"]}),
    ("call1", "Call", {"caller": ["boss"], "receiver": ["arjun"], "date": ["2025-04-02"]}),
    ("k1", "Consignment", {"trackingNumber": ["EX100000011IN"], "sender": ["firm"],
                           "recipientPhone": ["+12055550147"], "shippedDate": ["2025-04-03"],
                           "originCountry": ["in"], "destinationCountry": ["us"]}),
    ("boone", "Person", {"name": ["Boone"], "phone": ["+1 205 555 0147"], "country": ["us"]}),
    ("pharmacy", "Company", {"name": ["City Pharmacy"], "country": ["in"],
                             "addressEntity": ["addr"]}),
    ("addr", "Address", {"full": ["Tower 1, Big Road, Delhi"], "country": ["in"]}),
    ("home", "Address", {"full": ["Tower 1, Big Road, Delhi"], "country": ["in"]}),
    ("lodger", "Person", {"name": ["Lodger"], "addressEntity": ["home"], "country": ["in"]}),
]  # fmt: skip
