package storage

// TrigramTailQuery selects the ids a search reads directly (the newest of the
// requests not yet in the trigram index).
var TrigramTailQuery = trigramTail
