"""Store backends, one package each (graph.stores.sqlite, graph.stores.neo4j); they never import each other."""
