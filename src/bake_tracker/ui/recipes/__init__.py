"""The Recipes tab (``tab``) and its forms (``dialogs``): recipes, their ingredient lines and
sub-recipes, and what a batch really needs and costs."""
