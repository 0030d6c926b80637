"""Validators for national formats that every app meets: ID numbers (GB 11643), USCC (GB 32100), phone numbers,
and the Issues collector their messages go into."""
