"""The chief's pages for the EST group's partner organisations: who they are, who belongs to them
and the scope their users read in (trygghet.accounts.scope applies it)."""
