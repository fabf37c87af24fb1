-- The links of a bulk first load, in the order given: each batch is appended here with its checkpoint,
-- and the load's end moves them into links sorted by key, so that the links B-tree is built by appending
-- instead of rewriting pages all over it with every batch. Rows left by a load stopped midway are moved
-- by the next migrate or import end. The columns of links, without their key or constraints.
CREATE TABLE import_links_staged AS SELECT * FROM links WHERE false;
