-- Vectors already computed by one model (the lexical model's name pins the window's IDF, so its vectors
-- are exactly those of this window's texts).
SELECT TextHash AS hash, Vector AS vector
FROM span_embeddings FINAL
WHERE Model = {model:String}
