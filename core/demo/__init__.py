"""Pages for quoteledger demo: fictional stories of our own, one quotation carried by three outlets
with its words changing on the way (punctuation, case), so the first run shows a journey."""
