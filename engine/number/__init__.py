"""The number engine: a CRNN (convolutions, then a recurrent network along the line) that reads
a written number of any length, with its insides exposed. `from engine.number.reader import
NumberReader`."""
