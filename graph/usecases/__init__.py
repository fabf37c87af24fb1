"""Use cases: what the API and the CLI ask of the graph, each over the store roles it needs (graph.ports)."""
