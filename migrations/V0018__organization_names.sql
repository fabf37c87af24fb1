-- An organization's earlier names with the days they were used (graph.models.OrganizationName), as JSON.
ALTER TABLE organizations ADD COLUMN names TEXT NOT NULL DEFAULT '[]';
