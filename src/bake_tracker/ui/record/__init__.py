"""Record Production and Record Assembly: the dialogs that turn stock into finished items.

``base.RecordDialog`` is what both share (event, count, notes, the ``availability`` check, the
confirm gate); ``production`` and ``assembly`` are the two dialogs. Both are opened through the
main window (``MainWindow.open_record_production`` / ``open_record_assembly``). Tests and tools
drive them by their widgets' names: ``event_selector``, the count entry (``batches_entry``,
``quantity_entry``), ``notes_text``, ``availability_rows``, ``confirm_button``, ``cancel_button``,
``result`` and ``ask_confirm``.
"""
