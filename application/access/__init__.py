"""Who is calling and what they may do: ``identity`` turns the caller into an Actor, ``permissions`` says who may
read and change what (every read and the pages ask it), ``tokens`` issues and checks staff API tokens,
``sessions`` signs staff in and out of the pages."""
