"""Safety operations: certificates, 三违 records and stand-downs, workstation cards.

Services take the actor and ``now`` (or ``today``) as arguments, validate, write, flush, send
their signals and write their audit rows; the view or command that called them commits once.
"""
