"""The Ingredients tab (``tab``) and its forms (``dialogs``): ingredients, the products they are
bought as, and their custom units."""
