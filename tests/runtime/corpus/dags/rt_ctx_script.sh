echo "from file {{ ds }} {{ params.who }}"
