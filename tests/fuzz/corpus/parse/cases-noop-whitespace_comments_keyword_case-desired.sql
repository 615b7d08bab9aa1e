-- a comment
/* a block
   comment */
create   table
	T (
		ID   INTEGER   not null , -- trailing
		v TEXT
	) ;
