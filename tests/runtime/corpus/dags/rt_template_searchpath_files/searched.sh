echo "searched {{ ds }} {{ env_name }}"
