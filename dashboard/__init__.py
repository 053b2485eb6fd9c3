"""The boardshift leadership dashboard (Streamlit): `boardshift dashboard` runs dashboard/app.py."""
