"""The UI kit: the widgets, windows and colours every tab and dialog is built from.

One module per thing: ``theme`` (colours), ``table`` (``DataTable`` and its ``Column``\\ s),
``tabview`` (``MainTabview``), ``windows`` (``ModalWindow``, the base of every window over the main
one), ``dialog`` (``FormDialog``, the base of every form), ``fields`` (date fields and drop-downs),
``labels``, ``buttons``, ``progress`` (progress bars), ``scroll`` (a scrollbar that hides itself),
``tab`` (``TabFrame``, the base of a working tab) and ``list_tab`` / ``detail_panel`` (a list with
the selected item beside it).
Nothing here reads a service.
"""
