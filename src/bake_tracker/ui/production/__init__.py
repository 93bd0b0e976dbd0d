"""The Production tab, the app's home: the overview of the active events and the recent runs.

``tab`` (``ProductionTab``) switches between ``overview`` (event ``cards`` and the selected event's
``event_panel``: ``progress``, ``chart``, ``drilldown``) and ``recent_runs`` (with ``run_detail``
and ``void_run``); ``choosing`` is the first step of recording a run. ``runs`` and ``wording`` turn
the services' figures into words.
"""
