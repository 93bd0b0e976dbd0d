"""The Events tab and the Event Detail window (one event's packages, targets and shopping).

``tab`` (``EventsTab``) with its ``dialogs``; ``detail`` (``EventDetailWindow``) with one module
per tab of the window (``assignments``, ``targets``, ``needs``, ``shopping``, ``summary``, each a
``panel.PlanningPanel``) and their forms (``assignment_dialogs``, ``target_dialogs``, with
``target_kinds``). Loaded when the Events tab is first shown or an event is first opened.
"""
