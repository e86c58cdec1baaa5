"""Business operations of the meetings app.

``check_*`` functions authorise and validate, then call the matching ``do_*``
function, which writes (inside ``transaction.atomic()``), records an audit
entry and queues notifications. Views and the API call ``check_*`` only.

- ``access``: who may manage a meeting or decide a registration.
- ``meetings``: create, update, publish and cancel meetings; their sessions.
- ``participation``: roles (chair, secretariat, interpreters, ...).
- ``registration``: register, withdraw, approve or reject.
"""
